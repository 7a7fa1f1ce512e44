from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from associations.choices import branches_to_choose, members_to_choose, partners_to_choose, with_association
from associations.models import (
    Activity,
    Association,
    Branch,
    LeadershipPosition,
    Member,
    Partner,
    PartnerContact,
    WorkPlan,
    WorkPlanItem,
)
from associations.permissions import editable_associations, scope_records
from friendship_portal.core.choices import RemoteSelect
from friendship_portal.core.forms import UserModelForm, https_by_default


class LabelledChoiceField(forms.ModelChoiceField):
    """Names a choice with its association, so branches and members of different associations differ."""

    def label_from_instance(self, obj):
        return with_association(obj)


class AssociationScopedForm(UserModelForm):
    """A record of one association: the association offered is one the user may change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("association")
        if field is not None:
            field.queryset = editable_associations(self.user, Association.objects.all())
            if not self.instance.pk and field.queryset.count() == 1:
                field.initial = field.queryset.first().pk


class AssociationForm(UserModelForm):
    class Meta:
        model = Association
        fields = [
            "name",
            "short_name",
            "countries",
            "founded_on",
            "address",
            "phone",
            "email",
            "description",
            "is_active",
        ]
        widgets = {"countries": forms.SelectMultiple(attrs={"size": 8})}


class BranchForm(AssociationScopedForm):
    class Meta:
        model = Branch
        fields = ["association", "name", "location", "founded_on", "dissolved_on", "head_name", "phone", "notes"]


class MemberForm(AssociationScopedForm):
    class Meta:
        model = Member
        fields = [
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
        ]
        field_classes = {"branch": LabelledChoiceField}
        widgets = {"branch": RemoteSelect("branches")}
        help_texts = {
            "full_name": _("For a collective member, the name of the organization."),
            "status_changed_on": _("Needed when the member is no longer active."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches_to_choose(self.user)


class LeadershipPositionForm(AssociationScopedForm):
    class Meta:
        model = LeadershipPosition
        fields = [
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
        ]
        field_classes = {"member": LabelledChoiceField}
        widgets = {"member": RemoteSelect("members")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members_to_choose(self.user)


class WorkPlanForm(AssociationScopedForm):
    class Meta:
        model = WorkPlan
        fields = ["association", "year", "title", "adopted_on", "summary"]


class WorkPlanItemForm(UserModelForm):
    class Meta:
        model = WorkPlanItem
        fields = ["position", "title", "target", "due_on", "status", "outcome"]
        widgets = {
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "position": forms.NumberInput(attrs={"class": "input-narrow"}),
        }


WorkPlanItemFormSet = inlineformset_factory(WorkPlan, WorkPlanItem, form=WorkPlanItemForm, extra=2, can_delete=True)


class PlanItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.year} · {obj.plan.association} · {obj.title}"


class ActivityForm(AssociationScopedForm):
    class Meta:
        model = Activity
        fields = [
            "association",
            "kind",
            "title",
            "held_on",
            "location",
            "participants",
            "partner",
            "plan_item",
            "description",
        ]
        field_classes = {"plan_item": PlanItemChoiceField}
        widgets = {"partner": RemoteSelect("partners")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners_to_choose(self.user)
        items = WorkPlanItem.objects.select_related("plan__association").order_by("-plan__year", "position")
        self.fields["plan_item"].queryset = scope_records(self.user, items, association_field="plan__association")


class PartnerForm(UserModelForm):
    class Meta:
        model = Partner
        formfield_callback = https_by_default
        fields = [
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
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        associations = editable_associations(self.user, Association.objects.all())
        self.fields["association"].queryset = associations
        if associations.count() == 1:
            # A leader's partners are their association's: a union-wide partner is the staff's to add.
            self.fields["association"].required = True
            if not self.instance.pk:
                self.fields["association"].initial = associations.first().pk


class PartnerContactForm(UserModelForm):
    class Meta:
        model = PartnerContact
        fields = ["full_name", "position", "email", "phone", "notes"]


PartnerContactFormSet = inlineformset_factory(
    Partner, PartnerContact, form=PartnerContactForm, extra=1, can_delete=True
)
