"""Accessibility: axe-core checks each role's main pages against WCAG 2 A and AA in Chromium.

Union staff, a leader, the provincial office and the administrator each open the home page, the main
lists of each area their menu shows, a record's page offering them a workflow step, a form, the
dashboard and the reports page. axe-core (tests/browser/vendor/axe-core, never served by the portal)
is evaluated in each page as the browser's developer tools evaluate a script (`page.evaluate`), which
the portal's content policy does not govern: the pages are opened under that policy, and the test
fails on anything it blocks as every browser test does. The test fails listing every violation of
impact "serious" or "critical". Moderate and minor ones are printed (`pytest -s`) and left.
A few records, not the whole demo: one role per test, so two workers share the roles.
"""

from pathlib import Path

import pytest

from aid_projects.models import AidProject
from delegations.models import Delegation
from friendship_portal.core.models import Job
from tests import factories
from tests.aid_projects.factories import DonorFactory, project_in
from tests.delegations.factories import DelegationFactory
from tests.scholarships.factories import EnrollmentFactory, StudentFactory

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING = ("critical", "serious")
TARGETS_SHOWN = 3
# Evaluated in each page as the developer tools would (the value of the script's last statement is 0).
AXE_SOURCE = AXE.read_text() + "\n;0"

RUN_AXE = """async tags => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return {version: axe.version, violations: result.violations.map(violation => ({
    id: violation.id, impact: violation.impact, help: violation.help,
    targets: violation.nodes.map(node => node.target.join(" ")),
  }))};
}"""

ROLES = ("staff", "leader.laos", "province", "admin")
# The main lists of the four areas, which every role's menu offers.
LISTS = [
    "/associations/members/",
    "/associations/activities/",
    "/associations/partners/",
    "/delegations/outbound/",
    "/delegations/inbound/",
    "/scholarships/students/",
    "/scholarships/alerts/",
    "/aid-projects/projects/",
    "/aid-projects/donors/",
]


@pytest.fixture
def records(demo_accounts):
    """A record of each kind the pages list, and a delegation and an aid record waiting for each role."""
    laos = factories.association("laos")
    member = factories.MemberFactory(association=laos, full_name="Nguyễn Thị Hương")
    factories.ActivityFactory(association=laos, title="Giao lưu hữu nghị Việt – Lào")
    factories.PartnerFactory(name="Sở Ngoại vụ tỉnh Savannakhet")
    draft = DelegationFactory(title="Đoàn công tác sang tỉnh Savannakhet")
    submitted = DelegationFactory(title="Đoàn chúc Tết Bunpimay", status=Delegation.Status.SUBMITTED)
    endorsed = DelegationFactory(title="Đoàn dự hội nghị ba tỉnh", status=Delegation.Status.ENDORSED)
    DelegationFactory(title="Đoàn Ủy ban nhân dân tỉnh Bôlykhămxay", inbound=True)
    student = EnrollmentFactory(student=StudentFactory(full_name="Souksavanh Keobounphanh")).student
    donor = DonorFactory(name="Tổ chức Láng giềng tốt Hàn Quốc")
    proposed = project_in(AidProject.Status.PROPOSED, title="Nhà văn hóa cộng đồng", donors=[donor])
    appraised = project_in(AidProject.Status.UNDER_APPRAISAL, title="Nước sạch cho trường học", donors=[donor])
    for state in (Job.State.DONE, Job.State.FAILED):
        Job.objects.create(
            family=Job.Family.REPORT,
            kind="portal.budget_summary",
            title="Tổng hợp kinh phí năm 2025",
            state=state,
            progress=100 if state == Job.State.DONE else 40,
            error="Máy chủ thư điện tử không trả lời." if state == Job.State.FAILED else "",
            requested_by=demo_accounts["staff"],
        )
    return {
        "laos": laos.pk,
        "member": member.pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
        "endorsed": endorsed.pk,
        "student": student.pk,
        "proposed": proposed.pk,
        "appraised": appraised.pk,
    }


def pages_of(role: str, pk: dict) -> list[str]:
    """The role's main pages: home, dashboard, its lists, a record or two, a form, the reports."""
    common = ["/", "/dashboard/", "/reports/"]
    if role == "staff":
        return [
            *common,
            "/associations/",
            *LISTS,
            "/delegations/waiting/",
            "/documents/register/",
            f"/delegations/{pk['draft']}/",
            f"/aid-projects/projects/{pk['proposed']}/",
            f"/scholarships/students/{pk['student']}/",
            "/associations/members/new/",
            "/delegations/outbound/new/",
        ]
    if role == "leader.laos":
        return [
            *common,
            f"/associations/{pk['laos']}/",
            *LISTS,
            "/delegations/waiting/",
            f"/delegations/{pk['submitted']}/",
            f"/associations/members/{pk['member']}/edit/",
            f"/delegations/{pk['submitted']}/return/",
        ]
    if role == "province":
        return [
            *common,
            "/associations/",
            *LISTS,
            "/delegations/waiting/",
            f"/delegations/{pk['endorsed']}/",
            f"/aid-projects/projects/{pk['appraised']}/",
            f"/delegations/{pk['endorsed']}/approve/",
        ]
    assert role == "admin", role
    return [
        *common,
        "/associations/",
        *LISTS,
        f"/associations/members/{pk['member']}/",
        "/accounts/profile/",
        "/accounts/password/",
    ]


def describe(path: str, violation: dict) -> str:
    targets = violation["targets"]
    more = len(targets) - TARGETS_SHOWN
    shown = ", ".join(targets[:TARGETS_SHOWN]) + (f" (+{more})" if more > 0 else "")
    return f"  {path}: {violation['id']} [{violation['impact']}] {violation['help']} — {shown}"


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_have_no_serious_accessibility_violation(records, page, log_in, role):
    page = log_in(page, role)
    failing, left, version = [], [], None
    for path in pages_of(role, records):
        response = page.goto(path)
        assert response is not None and response.ok, f"{role} could not open {path}: {response and response.status}"
        page.evaluate(AXE_SOURCE)
        result = page.evaluate(RUN_AXE, WCAG_TAGS)
        version = result["version"]
        for violation in result["violations"]:
            (failing if violation["impact"] in FAILING else left).append(describe(path, violation))

    if left:
        print(f"axe-core {version}, {role}: moderate or minor violations left\n" + "\n".join(left))
    assert not failing, f"axe-core {version} ({', '.join(WCAG_TAGS)}), {role}: serious or critical violations\n" + (
        "\n".join(failing)
    )
