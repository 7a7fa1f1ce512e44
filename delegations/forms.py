from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from associations.choices import partners_to_choose
from associations.models import Association
from delegations.models import Attachment, BudgetLine, Delegation, DelegationMember, ItineraryItem, RecoveryRecord
from friendship_portal.core.choices import RemoteSelectMultiple
from friendship_portal.core.display import format_vnd
from friendship_portal.core.forms import AmountField, DateInput, UserModelForm

OUTBOUND_FIELDS = [
    "title",
    "purpose",
    "purpose_detail",
    "association",
    "partners",
    "countries",
    "start_date",
    "end_date",
    "programme",
    "in_yearly_plan",
    "funding_source",
    "commits_no_classified_documents",
    "commits_host_law",
    "commits_no_relatives",
]
INBOUND_FIELDS = [
    "title",
    "purpose",
    "purpose_detail",
    "association",
    "partners",
    "countries",
    "start_date",
    "end_date",
    "programme",
    "hosts",
    "funding_source",
]


class DelegationForm(UserModelForm):
    class Meta:
        model = Delegation
        fields = OUTBOUND_FIELDS
        widgets = {
            "countries": forms.SelectMultiple(attrs={"size": 6}),
            "partners": RemoteSelectMultiple("partners"),
            "purpose_detail": forms.Textarea(attrs={"rows": 3}),
            "programme": forms.Textarea(attrs={"rows": 4}),
        }
        # The category and the text must not read alike ("Mục đích" beside "Mục đích, yêu cầu").
        labels = {"purpose": _("Kind of activity")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partners_to_choose(self.user)
        self.fields["association"].queryset = Association.objects.filter(is_active=True)
        if self.instance.direction == Delegation.Direction.OUTBOUND:
            self.fields["association"].required = True


class InboundForm(DelegationForm):
    class Meta(DelegationForm.Meta):
        fields = INBOUND_FIELDS
        labels = {**DelegationForm.Meta.labels, "countries": _("guests' countries")}
        widgets = {**DelegationForm.Meta.widgets, "hosts": forms.Textarea(attrs={"rows": 2})}


class MemberForm(UserModelForm):
    class Meta:
        model = DelegationMember
        fields = [
            "full_name",
            "position",
            "organization",
            "nationality",
            "management_level",
            "is_key_leader",
            "is_head",
        ]


class ItineraryForm(UserModelForm):
    class Meta:
        model = ItineraryItem
        fields = ["day", "place", "activity"]


class BudgetLineForm(UserModelForm):
    class Meta:
        model = BudgetLine
        fields = ["item", "amount"]


class OneHeadFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        heads = [
            form for form in self.forms if form.cleaned_data.get("is_head") and not form.cleaned_data.get("DELETE")
        ]
        if len(heads) > 1:
            raise forms.ValidationError(_("A delegation has one head."))


MemberFormSet = inlineformset_factory(
    Delegation, DelegationMember, form=MemberForm, formset=OneHeadFormSet, extra=1, can_delete=True
)
ItineraryFormSet = inlineformset_factory(Delegation, ItineraryItem, form=ItineraryForm, extra=1, can_delete=True)
BudgetFormSet = inlineformset_factory(Delegation, BudgetLine, form=BudgetLineForm, extra=1, can_delete=True)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RequiredCommentForm(forms.Form):
    comment = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Decision number"), max_length=60, help_text=_("For example: 1234/QĐ-UBND")
    )
    decision_date = forms.DateField(
        label=_("Decision date"), widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SubmitForm(forms.Form):
    """A reason for each rule the plan breaks; submitting is refused until every one is given."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, breaches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.breaches = list(breaches)
        for breach in self.breaches:
            self.fields[f"reason_{breach.code}"] = forms.CharField(
                label=breach.message,
                help_text=_("Why the delegation should go ahead all the same."),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def acknowledgements(self) -> dict[str, str]:
        return {breach.code: self.cleaned_data.get(f"reason_{breach.code}", "") for breach in self.breaches}


class ReportForm(forms.Form):
    results = forms.CharField(label=_("Results"), widget=forms.Textarea(attrs={"rows": 5}))
    agreements = forms.CharField(
        label=_("Agreements reached"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up = forms.CharField(
        label=_("Follow-up proposals"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    actual_expenses = AmountField(
        label=_("Expenses actually spent (VND)"), min_value=0, decimal_places=0, required=False
    )
    file = forms.FileField(label=_("Attach the signed report (optional)"), required=False)

    def __init__(self, *args, budget_lines=(), **kwargs):
        """With an estimate, what was spent is asked line by line beside it, and the total is their sum."""
        super().__init__(*args, **kwargs)
        self.budget_lines = list(budget_lines)
        if self.budget_lines:
            del self.fields["actual_expenses"]
        for line in self.budget_lines:
            self.fields[self.spent_field(line)] = AmountField(
                label=_("Spent on: %(item)s") % {"item": line.item},
                help_text=_("Estimated: %(amount)s") % {"amount": format_vnd(line.amount)},
                min_value=0,
                decimal_places=0,
                required=False,
                initial=line.spent,
            )

    @staticmethod
    def spent_field(line) -> str:
        return f"spent_{line.pk}"

    def spent_by_line(self) -> dict | None:
        if not self.budget_lines:
            return None
        return {line.pk: self.cleaned_data.get(self.spent_field(line)) for line in self.budget_lines}


class RecoveryForm(UserModelForm):
    class Meta:
        model = RecoveryRecord
        fields = ["lao_province", "sites", "remains_recovered", "remains_repatriated", "handover_date"]
        widgets = {"sites": forms.Textarea(attrs={"rows": 3})}


class AttachmentForm(forms.ModelForm):
    upload = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel or an image."))

    class Meta:
        model = Attachment
        fields = ["kind", "description", "is_classified"]
