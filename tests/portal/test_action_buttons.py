"""Action buttons are solid, so that they read as things to press and keep their contrast (issue 14,
point 8). Only a link that takes the user back without doing anything (Cancel, Back, a month pager)
keeps Bootstrap's outline style, as users expect of such a link; each is listed below with why."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.utils import get_app_template_dirs
from django.urls import reverse
from lxml import html

from delegations.models import Delegation
from tests.aid_projects.factories import AidProjectFactory
from tests.delegations.factories import DelegationFactory
from tests.scholarships.factories import EnrollmentFactory

ROOT = Path(settings.BASE_DIR)

# (template, the label the button shows): why it may stay outline.
BACK_LINKS = "leaves the form without doing anything: an outline sets it apart from the form's solid submit"
OUTLINED = {
    ("scholarships/templates/scholarships/award_form.html", "Cancel"): BACK_LINKS,
    ("delegations/templates/delegations/report.html", "Cancel"): BACK_LINKS,
    ("delegations/templates/delegations/submit.html", "Cancel"): BACK_LINKS,
    ("delegations/templates/delegations/step.html", "Back"): BACK_LINKS,
    ("aid_projects/templates/aid_projects/report_form.html", "Cancel"): BACK_LINKS,
    ("aid_projects/templates/aid_projects/disbursement_form.html", "Cancel"): BACK_LINKS,
    ("aid_projects/templates/aid_projects/step.html", "Back"): BACK_LINKS,
    ("templates/records/confirm_delete.html", "Cancel"): "leaves the deletion undone, beside the solid Delete",
    ("templates/records/form.html", "Cancel"): BACK_LINKS,
    ("friendship_portal/overview/templates/dashboard/print.html", "Back to the dashboard"): (
        "returns from the print view to the dashboard; changes nothing"
    ),
    ("templates/import_job.html", "Back to the import page"): "returns to the page the file was sent from",
    ("scholarships/templates/scholarships/payments.html", '{{ previous|date:"m/Y" }}'): (
        "the month pager beside the month field, as pagination is drawn"
    ),
    ("scholarships/templates/scholarships/payments.html", '{{ following|date:"m/Y" }}'): (
        "the month pager beside the month field, as pagination is drawn"
    ),
}

BUTTON = re.compile(r"<(a|button)\b(?P<attributes>[^>]*)>(?P<content>.*?)</\1>", re.S)
LABEL = re.compile(r'{% translate "([^"]+)" %}')


def template_files() -> list[Path]:
    folders = [Path(folder) for template in settings.TEMPLATES for folder in template["DIRS"]]
    folders += [Path(folder) for folder in get_app_template_dirs("templates")]
    ours = [folder for folder in folders if ROOT in folder.parents and ".venv" not in folder.parts]
    return sorted({path for folder in ours for path in folder.rglob("*.html")})


def label_of(content: str) -> str:
    """The button's label as a reader of the template sees it: its first translated text, else its text."""
    labels = LABEL.findall(content)
    if labels:
        return labels[0]
    return re.sub(r"<[^>]+>", "", content).strip()


def outlined_buttons() -> list[tuple[str, str]]:
    found = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for match in BUTTON.finditer(text):
            if "btn-outline-" in match["attributes"]:
                found.append((str(path.relative_to(ROOT)), label_of(match["content"])))
    return found


def test_the_scan_reads_the_portal_templates():
    names = {str(path.relative_to(ROOT)) for path in template_files()}
    assert "delegations/templates/delegations/detail.html" in names
    assert "templates/records/list.html" in names
    assert "friendship_portal/overview/templates/dashboard/association.html" in names


def test_every_outlined_button_is_a_listed_way_back():
    unexpected = [button for button in outlined_buttons() if button not in OUTLINED]
    assert unexpected == [], (
        "these action buttons are outline; make them solid (btn-primary, btn-secondary, btn-success, "
        f"btn-danger…) or, for a plain way back, list them in OUTLINED with the reason: {unexpected}"
    )


def test_the_exceptions_still_exist():
    """An exception whose button is gone or became solid is dropped from the list, so that the list
    does not grow into a place where outline buttons hide."""
    assert sorted(set(OUTLINED) - set(outlined_buttons())) == []


SOLID = re.compile(r"\bbtn-(primary|secondary|success|danger|warning|info|dark|link)\b")


def buttons(content: bytes, xpath: str):
    found = html.fromstring(content).xpath(xpath)
    assert found, f"no element {xpath}"
    return found


def assert_solid(content: bytes, xpath: str):
    for element in buttons(content, xpath):
        classes = element.get("class", "")
        assert "btn-outline-" not in classes and SOLID.search(classes), f"{xpath} is drawn {classes!r}"


def assert_no_outline(content: bytes):
    outlined = html.fromstring(content).xpath("//*[contains(@class, 'btn-outline-')]")
    assert outlined == [], [element.text_content().strip() for element in outlined]


@pytest.mark.django_db
def test_staff_see_solid_buttons_on_a_delegation(cast, login):
    draft = DelegationFactory(association=cast.laos, status=Delegation.Status.DRAFT)
    mission = DelegationFactory(
        association=cast.laos, status=Delegation.Status.RETURNED, purpose=Delegation.Purpose.REMAINS_RECOVERY
    )
    client = login(cast.staff)

    content = client.get(reverse("delegations:detail", args=[draft.pk])).content
    for testid in ("edit", "add-attachment"):
        assert_solid(content, f"//*[@data-testid='{testid}']")
    assert_no_outline(content)

    content = client.get(reverse("delegations:detail", args=[mission.pk])).content
    assert_solid(content, "//*[@data-testid='record-recovery']")
    assert_no_outline(content)


@pytest.mark.django_db
def test_the_waiting_list_opens_a_delegation_with_a_solid_button(cast, login):
    draft = DelegationFactory(association=cast.laos, status=Delegation.Status.DRAFT)
    content = login(cast.staff).get(reverse("delegations:waiting")).content

    assert_solid(content, f"//*[@data-testid='open-{draft.pk}']")
    assert_no_outline(content)


@pytest.mark.django_db
def test_staff_see_solid_buttons_on_the_students(cast, login):
    enrollment = EnrollmentFactory()
    client = login(cast.staff)

    content = client.get(reverse("scholarships:student_list")).content
    assert_solid(content, "//*[@data-testid='import']")
    assert_no_outline(content)

    content = client.get(reverse("scholarships:student_detail", args=[enrollment.student_id])).content
    award = reverse("scholarships:award_create", args=[enrollment.student_id])
    assert len(buttons(content, f"//a[@href='{award}']")) == 2  # in the header and above the awards
    assert_solid(content, f"//a[@href='{award}']")
    assert_solid(content, "//*[@data-testid='edit']")
    assert_no_outline(content)


@pytest.mark.django_db
def test_staff_see_solid_buttons_on_an_aid_project(cast, login):
    project = AidProjectFactory()
    client = login(cast.staff)

    content = client.get(reverse("aid_projects:project_list")).content
    assert_solid(content, "//*[@data-testid='import']")
    assert_solid(content, "//*[@data-testid='export']")
    assert_no_outline(content)

    content = client.get(reverse("aid_projects:project_detail", args=[project.pk])).content
    assert_solid(content, "//*[@data-testid='edit']")
    assert_no_outline(content)


@pytest.mark.django_db
def test_the_association_dashboard_opens_its_details_with_a_solid_button(cast, login):
    content = login(cast.staff).get(reverse("dashboard_association", args=[cast.laos.pk])).content

    assert_solid(content, f"//a[@href='{reverse('associations:association_detail', args=[cast.laos.pk])}']")
    assert_solid(content, "//button[@data-print]")
    assert_no_outline(content)
