from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aid_projects.choices import donor_choices
from aid_projects.models import AidProject, Commune, Disbursement
from friendship_portal.core.choices import RemoteSelectMultiple
from friendship_portal.core.forms import AmountField, DateInput, UserModelForm

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class AidProjectForm(UserModelForm):
    class Meta:
        model = AidProject
        fields = [
            "code",
            "title",
            "kind",
            "sector",
            "summary",
            "donors",
            "managing_agency",
            "aid_owner",
            "communes",
            "beneficiaries",
            "planned_start",
            "planned_end",
            "currency",
            "commitment_amount",
            "exchange_rate",
            "counterpart_vnd",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "communes": forms.SelectMultiple(attrs={"size": 8}),
            "donors": RemoteSelectMultiple("donors"),
        }
        help_texts = {
            "donors": _(
                "Donors come from the partner directory: foreign NGOs, individuals, overseas Vietnamese "
                "communities and international organizations."
            ),
            "exchange_rate": _("VND for one unit of the currency on the day of the commitment; 1 for VND."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donors"].queryset = donor_choices()
        self.fields["communes"].queryset = Commune.objects.order_by("name")

    def service_options(self) -> dict:
        return {"donors": self.cleaned_data["donors"], "communes": self.cleaned_data["communes"]}


class DisbursementForm(UserModelForm):
    class Meta:
        model = Disbursement
        fields = ["date", "amount", "currency", "exchange_rate", "form", "note"]

    def __init__(self, *args, project: AidProject, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate()
            self.fields["currency"].initial = project.currency
            self.fields["exchange_rate"].initial = project.exchange_rate


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(CommentForm):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput(), input_formats=DATE_FORMATS)
    decision_body = forms.CharField(label=_("Approving body"), max_length=255, required=False)


class AdjustForm(CommentForm):
    decision_number = forms.CharField(label=_("Adjusting decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput(), input_formats=DATE_FORMATS)
    planned_end = forms.DateField(
        label=_("New planned end"), widget=DateInput(), input_formats=DATE_FORMATS, required=False
    )
    commitment_amount = AmountField(
        label=_("New commitment (in its currency)"), max_digits=18, decimal_places=2, min_value=0, required=False
    )


class DateForm(CommentForm):
    date = forms.DateField(label=_("Date"), widget=DateInput(), input_formats=DATE_FORMATS)


class ReportSubmitForm(forms.Form):
    submitted_on = forms.DateField(label=_("Received on"), widget=DateInput(), input_formats=DATE_FORMATS)
    narrative = forms.CharField(label=_("What the report says"), widget=forms.Textarea(attrs={"rows": 5}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Filled-in template (.xlsx)"))
