from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from delegations import forms, selectors, services
from delegations.checks import delegation_breaches
from delegations.filters import DelegationFilter
from delegations.models import (
    Attachment,
    Delegation,
    DelegationEvent,
    HistoricalBudgetLine,
    HistoricalDelegationMember,
    HistoricalItineraryItem,
)
from delegations.permissions import scope_delegations
from delegations.reports import KIND as TRIP_REPORT
from delegations.reports import trip_report_jobs
from delegations.workflow import WORKFLOW
from friendship_portal.core.record_views import Inline, RecordPages
from friendship_portal.core.records import history_entries
from friendship_portal.core.reports import report_request
from friendship_portal.core.waiting import waiting_for

Direction = Delegation.Direction
Status = Delegation.Status


def _inlines():
    return [
        Inline(
            formset_class=forms.MemberFormSet,
            title=gettext_lazy("Delegation members"),
            columns=["full_name", "position", "organization", "management_level", "is_head"],
            related_name="members",
            history=lambda d: HistoricalDelegationMember.objects.filter(delegation_id=d.pk),
        ),
        Inline(
            formset_class=forms.ItineraryFormSet,
            title=gettext_lazy("Itinerary"),
            columns=["day", "place", "activity"],
            related_name="itinerary",
            history=lambda d: HistoricalItineraryItem.objects.filter(delegation_id=d.pk),
        ),
        Inline(
            formset_class=forms.BudgetFormSet,
            title=gettext_lazy("Budget estimate"),
            columns=["item", "amount"],
            related_name="budget_lines",
            history=lambda d: HistoricalBudgetLine.objects.filter(delegation_id=d.pk),
        ),
    ]


def _list_context(direction):
    def context(request):
        return {
            "direction": direction,
            "recovery_total": selectors.recovery_totals(),
            "waiting_count": selectors.waiting_for(request.user).count(),
        }

    return context


# "Thêm mới đoàn ra": the direction's label, in the reader's language when the page is drawn.
_lower = lazy(lambda text: str(text).lower(), str)


def _pages(direction: str, url_name: str, url_path: str, form_class) -> RecordPages:
    return RecordPages(
        model=Delegation,
        url_name=url_name,
        url_path=url_path,
        namespace="delegations",
        form_class=form_class,
        filterset_class=DelegationFilter,
        scope=lambda user, queryset: scope_delegations(user, queryset.filter(direction=direction)),
        select_related=["association"],
        list_columns=["start_date", "end_date", "title", "association", "countries", "status", "report_due_on"],
        linked_columns=("start_date", "title"),
        # On a phone: what it is, where it stands and when its report is due.
        phone_columns=("title", "status", "report_due_on"),
        detail_fields=[],
        search_fields=["title", "purpose_detail", "members__full_name", "decision_number"],
        inlines=_inlines(),
        can_delete=False,
        new_values={"direction": direction},
        save=services.delegation_save,
        detail_url_name="delegations:detail",
        record_name=_lower(Direction(direction).label),
        needs_attention=lambda delegation: _("Report overdue") if delegation.is_report_overdue else "",
        list_template="delegations/list.html",
        list_context=_list_context(direction),
    )


OUTBOUND = _pages(Direction.OUTBOUND, "outbound", "outbound", forms.DelegationForm)
INBOUND = _pages(Direction.INBOUND, "inbound", "inbound", forms.InboundForm)


def overview(request):
    return redirect("delegations:outbound_list")


def _delegation(request, pk: int, queryset=None) -> Delegation:
    queryset = queryset if queryset is not None else Delegation.objects.select_related("association", "created_by")
    delegation = get_object_or_404(queryset, pk=pk)
    if not request.user.has_perm("delegations.view_delegation", delegation):
        raise PermissionDenied(_("You may not see this delegation: it belongs to an association you do not lead."))
    return delegation


def detail(request, pk: int):
    user = request.user
    delegation = _delegation(
        request,
        pk,
        Delegation.objects.select_related(
            "association", "created_by", "report", "recovery__lao_province"
        ).prefetch_related(
            "partners",
            "members",
            "itinerary",
            "budget_lines",
            "warnings__acknowledged_by",
            Prefetch("events", queryset=DelegationEvent.objects.select_related("actor")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        ),
    )
    see_classified = user.has_perm("delegations.see_classified", delegation)
    pages = OUTBOUND if delegation.is_outbound else INBOUND
    can = {
        name: user.has_perm(f"delegations.{name}_delegation", delegation)
        for name in ("change", "submit", "endorse", "decide", "cancel", "report", "close", "attach")
    }
    return render(
        request,
        "delegations/detail.html",
        {
            "delegation": delegation,
            "list_url": pages.url("list"),
            "edit_url": pages.url("update", pk=delegation.pk),
            "can": can,
            "steps": selectors.available_steps(delegation, user),
            "before_submission": WORKFLOW.leaves_from(delegation, WORKFLOW.step("submit")),
            "budget_total": selectors.budget_total(delegation),
            "attachments": [a for a in delegation.attachments.all() if see_classified or not a.is_classified],
            "hidden_attachments": sum(
                1 for a in delegation.attachments.all() if a.is_classified and not see_classified
            ),
            "attachment_form": forms.AttachmentForm(),
            "can_record_recovery": delegation.purpose == Delegation.Purpose.REMAINS_RECOVERY
            and user.has_perm("delegations.record_recovery", delegation),
            "history": history_entries(
                [(Delegation, delegation.history.all())]
                + [(inline.formset_class.model, inline.history(delegation)) for inline in pages.inlines]
            ),
            "today": timezone.localdate(),
            "report_documents": trip_report_jobs(delegation.pk),
            "report_document_stage": _document_stage(delegation),
        },
    )


def _document_stage(delegation: Delegation) -> str:
    """Which post-trip document the delegation is ready for: none before it is home."""
    if delegation.status in (Delegation.Status.REPORTED, Delegation.Status.CLOSED):
        return "final"
    if delegation.status in Delegation.AWAITING_REPORT:
        return "draft"
    return ""


@require_POST
def report_document(request, pk: int):
    """Prepare the post-trip document again (after a correction, or when the automatic one failed)."""
    delegation = _delegation(request, pk, Delegation.objects.all())
    if not request.user.has_perm("delegations.report_delegation", delegation):
        raise PermissionDenied(_("Only union staff prepare the report document."))
    stage = _document_stage(delegation)
    if not stage:
        messages.error(request, _("The report document is prepared once the trip or the visit has ended."))
    else:
        report_request(
            kind=TRIP_REPORT, params={"delegation_id": delegation.pk, "final": stage == "final"}, actor=request.user
        )
        messages.success(request, _("The report document is being prepared."))
    return redirect("delegations:detail", pk=delegation.pk)


def _after(request, done_message: str, step):
    """Run a workflow step and come back to the delegation, saying what happened or why not."""
    try:
        step()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, done_message)
    return True


def _back(request, delegation: Delegation):
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("delegations:detail", pk=delegation.pk)


def submit(request, pk: int):
    delegation = _delegation(request, pk)
    if not request.user.has_perm("delegations.submit_delegation", delegation):
        raise PermissionDenied(services.REFUSALS["delegations.submit_delegation"])
    breaches = delegation_breaches(delegation)
    form = forms.SubmitForm(request.POST or None, breaches=breaches)
    if request.method == "POST" and form.is_valid():
        done = _after(
            request,
            _("The plan was submitted to the association's leader."),
            lambda: services.delegation_submit(
                delegation_id=pk,
                actor=request.user,
                acknowledgements=form.acknowledgements(),
                comment=form.cleaned_data["comment"],
            ),
        )
        if done:
            return redirect("delegations:detail", pk=pk)
    return render(request, "delegations/submit.html", {"delegation": delegation, "form": form, "breaches": breaches})


@require_POST
def endorse(request, pk: int):
    delegation = _delegation(request, pk)
    form = forms.CommentForm(request.POST)
    form.is_valid()
    _after(
        request,
        _("Endorsed: the plan goes to the provincial office."),
        lambda: services.delegation_endorse(
            delegation_id=pk, actor=request.user, comment=form.cleaned_data.get("comment", "")
        ),
    )
    return _back(request, delegation)


def _comment_step(request, pk: int, *, title: str, button: str, permission: str, done: str, service):
    delegation = _delegation(request, pk)
    if not request.user.has_perm(permission, delegation):
        raise PermissionDenied(services.REFUSALS.get(permission, _("Your role does not allow this step.")))
    form = forms.RequiredCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        if _after(request, done, lambda: service(delegation_id=pk, actor=request.user, comment=comment)):
            return _back(request, delegation)
    return render(
        request, "delegations/step.html", {"delegation": delegation, "form": form, "title": title, "button": button}
    )


def return_for_revision(request, pk: int):
    return _comment_step(
        request,
        pk,
        title=_("Return the plan for revision"),
        button=_("Return"),
        permission="delegations.endorse_delegation",
        done=_("The plan was returned to the union staff for revision."),
        service=services.delegation_return_for_revision,
    )


def reject(request, pk: int):
    return _comment_step(
        request,
        pk,
        title=_("Reject the delegation"),
        button=_("Reject"),
        permission="delegations.decide_delegation",
        done=_("The delegation was rejected."),
        service=services.delegation_reject,
    )


def cancel(request, pk: int):
    return _comment_step(
        request,
        pk,
        title=_("Cancel the delegation"),
        button=_("Cancel the delegation"),
        permission="delegations.cancel_delegation",
        done=_("The delegation was cancelled."),
        service=services.delegation_cancel,
    )


def approve(request, pk: int):
    delegation = _delegation(request, pk)
    if not request.user.has_perm("delegations.decide_delegation", delegation):
        raise PermissionDenied(services.REFUSALS["delegations.decide_delegation"])
    form = forms.DecisionForm(request.POST or None, initial={"decision_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        step = lambda: services.delegation_approve(  # noqa: E731
            delegation_id=pk,
            actor=request.user,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            comment=data["comment"],
        )
        if _after(request, _("Approved."), step):
            return _back(request, delegation)
    return render(
        request,
        "delegations/step.html",
        {"delegation": delegation, "form": form, "title": _("Approve the delegation"), "button": _("Approve")},
    )


@require_POST
def close(request, pk: int):
    delegation = _delegation(request, pk)
    _after(request, _("Closed."), lambda: services.delegation_close(delegation_id=pk, actor=request.user))
    return _back(request, delegation)


def report(request, pk: int):
    delegation = _delegation(request, pk)
    if not request.user.has_perm("delegations.report_delegation", delegation):
        raise PermissionDenied(services.REFUSALS["delegations.report_delegation"])
    existing = getattr(delegation, "report", None)
    initial = (
        {
            "results": existing.results,
            "agreements": existing.agreements,
            "follow_up": existing.follow_up,
            "actual_expenses": existing.actual_expenses,
        }
        if existing
        else {}
    )
    form = forms.ReportForm(
        request.POST or None, request.FILES or None, initial=initial, budget_lines=delegation.budget_lines.all()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def step():
            services.trip_report_submit(
                delegation_id=pk,
                actor=request.user,
                results=data["results"],
                agreements=data["agreements"],
                follow_up=data["follow_up"],
                actual_expenses=data.get("actual_expenses") or 0,
                spent_by_line=form.spent_by_line(),
                upload=data["file"] or None,
            )

        if _after(request, _("The report was filed."), step):
            return redirect("delegations:detail", pk=pk)
    return render(request, "delegations/report.html", {"delegation": delegation, "form": form})


def recovery(request, pk: int):
    delegation = _delegation(request, pk)
    if not request.user.has_perm("delegations.record_recovery", delegation):
        raise PermissionDenied(services.REFUSALS["delegations.record_recovery"])
    instance = getattr(delegation, "recovery", None)
    form = forms.RecoveryForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if _after(
            request,
            _("The recovery record was saved."),
            lambda: services.recovery_record_save(delegation_id=pk, actor=request.user, **values),
        ):
            return redirect("delegations:detail", pk=pk)
    return render(
        request,
        "delegations/step.html",
        {"delegation": delegation, "form": form, "title": _("Recovery record"), "button": _("Save")},
    )


@require_POST
def attachment_add(request, pk: int):
    delegation = _delegation(request, pk)
    if not request.user.has_perm("delegations.attach_delegation", delegation):
        raise PermissionDenied(services.REFUSALS["delegations.attach_delegation"])
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("delegations:detail", pk=pk)
    _after(
        request,
        _("The file was added."),
        lambda: services.attachment_add(
            delegation_id=pk,
            actor=request.user,
            upload=form.cleaned_data["upload"],
            kind=form.cleaned_data["kind"],
            is_classified=form.cleaned_data["is_classified"],
            description=form.cleaned_data["description"],
        ),
    )
    return redirect("delegations:detail", pk=pk)


def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("delegation"), pk=pk)
    delegation = attachment.delegation
    if not request.user.has_perm("delegations.view_delegation", delegation):
        raise PermissionDenied(_("You may not see this delegation's files."))
    if attachment.is_classified and not request.user.has_perm("delegations.see_classified", delegation):
        raise PermissionDenied(_("This file is classified: only leaders and the provincial office may open it."))
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing from storage.")) from error
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


def waiting(request):
    """What waits for this user's decision, each with the button to take it from the list, a page at a time."""
    page = Paginator(selectors.waiting_for(request.user).select_related("association"), settings.WAITING_PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    delegations = list(page.object_list)
    taken = WORKFLOW.taken_by(request.user, delegations)
    rows = [
        (delegation, [step for step in WORKFLOW.available(delegation, request.user, taken=taken) if step.waits])
        for delegation in delegations
    ]
    return render(
        request,
        "delegations/waiting.html",
        {
            "delegations": delegations,
            "rows": rows,
            "page": page,
            "endorse": WORKFLOW.step("endorse"),
            "next": reverse("delegations:waiting"),
            # The menu's count takes in the aid waiting too: this page names it, one click away.
            "elsewhere": waiting_for(request.user, besides=reverse("delegations:waiting")),
        },
    )


def overdue_reports(request):
    if not request.user.has_perm("portal.reads_everything"):
        raise PermissionDenied(_("The list of overdue reports is for union staff and the provincial office."))
    page = Paginator(selectors.overdue_reports().select_related("association"), settings.PORTAL_PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    return render(
        request,
        "delegations/overdue.html",
        {"delegations": page.object_list, "page": page, "today": timezone.localdate()},
    )
