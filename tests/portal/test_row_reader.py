"""An export reads each row through `RecordPages.row_reader`, which works each column's reading out
once. For every list page, with records of every kind planted, it gives exactly what reading each
cell on its own gives: choices by their label, yes and no in words, local times, related records by
their name, computed columns as text."""

import pytest

from friendship_portal.core.display import column_text, column_value
from tests.portal.test_safe_spreadsheets import PLANTERS, list_exports


def each_cell(pages, record) -> list:
    cells = []
    for name in pages.list_columns:
        if name in pages.computed:
            cells.append(str(pages.computed[name](record)))
            continue
        value = column_value(record, name)
        cells.append(column_text(record, name) if isinstance(value, bool) else value)
    return cells


@pytest.mark.parametrize("url_name", sorted(list_exports()))
def test_a_row_read_at_once_is_each_cell_read_alone(cast, url_name):
    pages = list_exports()[url_name]
    PLANTERS[url_name](cast)
    records = list(pages.scope(cast.staff, pages.base_queryset()))
    assert records, "the planter wrote records the staff's list shows"

    read = pages.row_reader()
    assert [read(record) for record in records] == [each_cell(pages, record) for record in records]
