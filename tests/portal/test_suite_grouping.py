"""`make test` runs the unit tests with `--dist loadgroup`: the tests of a module marked `xdist_group(name)`
go to one worker, so that its module fixture (the seeded demo, the rendered documents) is made once, not
once a worker. pytest-xdist groups them by adding "@name" to each test's id; a pytest that keeps the id
where pytest-xdist does not write it (9.2 with pytest-xdist 3.8) would leave them spread, and this fails."""

import pytest

pytestmark = pytest.mark.xdist_group("suite_grouping")


def test_a_test_of_a_group_carries_the_group_in_its_id(request):
    if not request.config.getoption("loadgroup", default=False):
        pytest.skip("not run by pytest-xdist with --dist loadgroup")
    assert request.node.nodeid.endswith("@suite_grouping"), request.node.nodeid
