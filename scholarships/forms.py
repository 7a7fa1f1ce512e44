from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from friendship_portal.core.forms import DateInput, UserModelForm
from scholarships.models import Award, Enrollment, Institution, Payment, Student, YearlyBudget


class StudentForm(UserModelForm):
    confirm_duplicate = forms.BooleanField(
        label=_("This is another person"),
        required=False,
        help_text=_("Tick only when the portal warns of a possible duplicate that is in fact someone else."),
    )

    class Meta:
        model = Student
        fields = [
            "full_name",
            "full_name_lao",
            "gender",
            "date_of_birth",
            "lao_province",
            "passport_number",
            "passport_expiry",
            "residence_expiry",
            "phone",
            "email",
            "is_official",
            "sending_body",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def service_options(self) -> dict:
        return {"confirm_duplicate": self.cleaned_data.get("confirm_duplicate", False)}


class EnrollmentForm(UserModelForm):
    class Meta:
        model = Enrollment
        fields = ["institution", "level", "major", "start_date", "expected_end", "status", "ended_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(is_active=True)


EnrollmentFormSet = inlineformset_factory(Student, Enrollment, form=EnrollmentForm, extra=1, can_delete=True)


class AwardForm(UserModelForm):
    class Meta:
        model = Award
        fields = [
            "enrollment",
            "academic_year",
            "first_month",
            "months",
            "monthly_amount",
            "equipment_support",
            "health_insurance",
            "funding_source",
        ]
        help_texts = {"monthly_amount": _("Leave empty for the provincial allowance (more for officials).")}

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.student = student
        self.fields["enrollment"].queryset = student.enrollments.select_related("institution")
        self.fields["monthly_amount"].required = False
        today = timezone.localdate()
        self.fields["academic_year"].initial = today.year if today.month >= 9 else today.year - 1
        self.fields["months"].initial = 10


class PaymentsForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)
    payments = forms.ModelMultipleChoiceField(
        label=_("Payments"), queryset=Payment.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, payments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payments"].queryset = payments if payments is not None else Payment.objects.none()
        self.fields["paid_on"].initial = timezone.localdate()


class YearlyBudgetForm(UserModelForm):
    class Meta:
        model = YearlyBudget
        fields = ["year", "planned_amount", "decision", "notes"]


class InstitutionForm(UserModelForm):
    class Meta:
        model = Institution
        fields = ["name", "short_name", "address", "is_active"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Filled-in template (.xlsx)"))
