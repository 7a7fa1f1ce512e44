"""A workflow record's badge and a step's button text, as every list and detail page shows them, and the
waiting lists' filter: one `IN` of states per variant, so a count of them reads the state's index."""

import dataclasses

import pytest
from django.core.exceptions import EmptyResultSet
from django.template import Context, Template

from aid_projects.models import AidProject
from aid_projects.workflow import WORKFLOW as AID
from delegations.models import Delegation
from delegations.workflow import WORKFLOW as DELEGATIONS
from tests.aid_projects.factories import AidProjectFactory
from tests.delegations.factories import DelegationFactory


def render(source: str, **context) -> str:
    return Template("{% load portal %}" + source).render(Context(context))


@pytest.mark.django_db
def test_a_badge_carries_the_state_its_colour_and_a_test_id_when_asked(cast):
    delegation = DelegationFactory(association=cast.laos, status=Delegation.Status.SUBMITTED)
    assert render("{% status_badge d %}", d=delegation) == (
        f'<span class="badge rounded-pill text-bg-{delegation.status_style}">{delegation.get_status_display()}</span>'
    )
    project = AidProjectFactory(status=AidProject.Status.APPROVED)
    assert render('{% status_badge p testid="status" %}', p=project) == (
        f'<span class="badge rounded-pill text-bg-{project.status_style}" data-testid="status">'
        f"{project.get_status_display()}</span>"
    )


@pytest.mark.django_db
def test_a_badge_escapes_what_it_is_given(cast):
    delegation = DelegationFactory(association=cast.laos)
    html = render("{% status_badge d testid=t %}", d=delegation, t='"><script>alert(1)</script>')
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_steps_label_has_its_icon_when_it_has_one():
    endorse = DELEGATIONS.step("endorse")
    assert endorse.icon
    assert (
        render("{% step_label s %}", s=endorse)
        == f'<i class="bi {endorse.icon}" aria-hidden="true"></i> {endorse.label}'
    )
    assert render("{% step_label s %}", s=dataclasses.replace(endorse, icon="")) == str(endorse.label)


@pytest.mark.django_db
@pytest.mark.parametrize("workflow,model", [(AID, AidProject), (DELEGATIONS, Delegation)])
@pytest.mark.parametrize("role", ["staff", "province", "laos_leader"])
def test_the_waiting_filter_asks_one_in_of_states_per_variant(cast, workflow, model, role):
    user = getattr(cast, role)
    try:
        sql = str(model.objects.filter(workflow.waiting_q(user)).query)
    except EmptyResultSet:  # nothing of this workflow waits for this role
        assert not any(workflow.may(user, step) for step in workflow.steps.values() if step.waits)
        return
    variants = {None} if workflow.variant_field is None else {"outbound", "inbound"}
    assert sql.count('"status" IN (') <= len(variants)
