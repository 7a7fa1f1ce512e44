from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations import filters, forms
from associations.models import (
    Activity,
    Association,
    Branch,
    HistoricalPartnerContact,
    HistoricalWorkPlanItem,
    LeadershipPosition,
    Member,
    Partner,
    WorkPlan,
)
from associations.permissions import scope_partners, scope_records
from associations.selectors import association_counts, association_overview
from friendship_portal.core.record_views import Inline, RecordPages
from friendship_portal.core.waiting import waiting_for


def scope_associations(user, queryset):
    return scope_records(user, queryset, association_field="pk")


ASSOCIATIONS = RecordPages(
    model=Association,
    url_name="association",
    url_path="",
    namespace="associations",
    form_class=forms.AssociationForm,
    filterset_class=filters.AssociationListFilter,
    scope=scope_associations,
    annotate=association_counts(),
    list_columns=["short_name", "name", "countries", "member_count", "branch_count", "is_active"],
    detail_fields=[
        "name",
        "short_name",
        "countries",
        "founded_on",
        "address",
        "phone",
        "email",
        "description",
        "member_count",
        "branch_count",
        "is_active",
    ],
    labels={"member_count": _("Active members"), "branch_count": _("Branches")},
    search_fields=["name", "short_name"],
    can_create=False,
    can_delete=False,
)

BRANCHES = RecordPages(
    model=Branch,
    url_name="branch",
    url_path="branches",
    namespace="associations",
    form_class=forms.BranchForm,
    filterset_class=filters.BranchFilter,
    scope=scope_records,
    select_related=["association"],
    list_columns=["name", "association", "location", "head_name", "founded_on", "dissolved_on"],
    detail_fields=["association", "name", "location", "founded_on", "dissolved_on", "head_name", "phone", "notes"],
    search_fields=["name", "location", "head_name"],
)

MEMBERS = RecordPages(
    model=Member,
    url_name="member",
    url_path="members",
    namespace="associations",
    form_class=forms.MemberForm,
    filterset_class=filters.MemberFilter,
    scope=scope_records,
    select_related=["association", "branch"],
    list_columns=["full_name", "kind", "association", "branch", "workplace", "joined_on", "status"],
    phone_columns=("full_name", "association", "status"),
    detail_fields=[
        "association",
        "branch",
        "kind",
        "full_name",
        "gender",
        "birth_year",
        "position",
        "workplace",
        "representative",
        "headcount",
        "phone",
        "email",
        "address",
        "joined_on",
        "status",
        "status_changed_on",
        "notes",
    ],
    search_fields=["full_name", "workplace", "position", "phone", "email", "representative"],
)

LEADERSHIP = RecordPages(
    model=LeadershipPosition,
    url_name="leadership",
    url_path="leadership",
    namespace="associations",
    form_class=forms.LeadershipPositionForm,
    filterset_class=filters.LeadershipPositionFilter,
    scope=scope_records,
    select_related=["association", "member"],
    list_columns=["person_name", "role", "association", "term_label", "is_concurrent", "main_job"],
    detail_fields=[
        "association",
        "person_name",
        "member",
        "role",
        "term_label",
        "term_start",
        "term_end",
        "is_concurrent",
        "main_job",
        "phone",
        "email",
        "notes",
    ],
    search_fields=["person_name", "main_job", "term_label"],
)

WORK_PLANS = RecordPages(
    model=WorkPlan,
    url_name="plan",
    url_path="plans",
    namespace="associations",
    form_class=forms.WorkPlanForm,
    filterset_class=filters.WorkPlanFilter,
    scope=scope_records,
    select_related=["association"],
    list_columns=["year", "association", "title", "adopted_on"],
    detail_fields=["association", "year", "title", "adopted_on", "summary"],
    search_fields=["title", "summary"],
    inlines=[
        Inline(
            formset_class=forms.WorkPlanItemFormSet,
            title=_("Focus tasks and outcomes"),
            columns=["position", "title", "target", "due_on", "status", "outcome"],
            related_name="items",
            history=lambda plan: HistoricalWorkPlanItem.objects.filter(plan_id=plan.pk),
        )
    ],
)

ACTIVITIES = RecordPages(
    model=Activity,
    url_name="activity",
    url_path="activities",
    namespace="associations",
    form_class=forms.ActivityForm,
    filterset_class=filters.ActivityFilter,
    scope=scope_records,
    select_related=["association", "partner", "plan_item"],
    list_columns=["held_on", "title", "kind", "association", "location", "participants"],
    phone_columns=("held_on", "title"),
    detail_fields=[
        "association",
        "kind",
        "title",
        "held_on",
        "location",
        "participants",
        "partner",
        "plan_item",
        "description",
    ],
    search_fields=["title", "location", "description"],
)

PARTNERS = RecordPages(
    model=Partner,
    url_name="partner",
    url_path="partners",
    namespace="associations",
    form_class=forms.PartnerForm,
    filterset_class=filters.PartnerFilter,
    scope=scope_partners,
    select_related=["association", "lao_province"],
    list_columns=["name", "kind", "country", "lao_province", "association", "is_active"],
    detail_fields=[
        "name",
        "name_local",
        "kind",
        "country",
        "lao_province",
        "association",
        "address",
        "website",
        "email",
        "phone",
        "since",
        "is_active",
        "notes",
    ],
    search_fields=["name", "name_local", "notes"],
    inlines=[
        Inline(
            formset_class=forms.PartnerContactFormSet,
            title=_("Contact persons"),
            columns=["full_name", "position", "email", "phone", "notes"],
            related_name="contacts",
            history=lambda partner: HistoricalPartnerContact.objects.filter(partner_id=partner.pk),
        )
    ],
)

ALL_PAGES = [ASSOCIATIONS, BRANCHES, MEMBERS, LEADERSHIP, WORK_PLANS, ACTIVITIES, PARTNERS]


def home(request):
    """The first page after login: the associations the user may see, with this year's figures."""
    year = timezone.localdate().year
    return render(
        request,
        "associations/home.html",
        {
            "year": year,
            "associations": association_overview(user=request.user, year=year),
            "waiting": waiting_for(request.user),
        },
    )
