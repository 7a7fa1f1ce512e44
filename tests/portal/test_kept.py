"""The machinery of the kept figures (`friendship_portal.core.kept.Kept`): a lone write is worked out at
once; within `kept_once()` what the writes touched is gathered, nested blocks into the outer one, and
worked out once at the end, or not at all when the block raises (its transaction is rolled back)."""

import pytest

from friendship_portal.core.kept import Kept


def test_a_lone_write_is_worked_out_at_once_and_a_block_once_at_its_end():
    calls = []
    kept = Kept("test_kept_pending", lambda **touched: calls.append(touched))

    kept.touched(years=[2025, None])
    assert calls == [{"years": {2025}}]

    with kept.kept_once():
        kept.touched(years=[2024], projects=[7])
        with kept.kept_once():  # a service called by another: gathered into the outer block
            kept.touched(years=[2025, 2024])
        kept.touched(projects=[8, None])
        assert len(calls) == 1
    assert calls[1:] == [{"years": {2024, 2025}, "projects": {7, 8}}]


def test_a_block_that_raises_works_nothing_out():
    calls = []
    kept = Kept("test_kept_pending_raising", lambda **touched: calls.append(touched))

    with pytest.raises(ValueError), kept.kept_once():
        kept.touched(years=[2025])
        raise ValueError("the import failed")

    assert calls == []
    kept.touched(years=[2026])  # and the next write is worked out at once again
    assert calls == [{"years": {2026}}]
