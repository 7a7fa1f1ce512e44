"""Form pieces shared by every app: a model form that knows its user, and dd/mm/yyyy dates."""

import copy
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from friendship_portal.core.display import format_exact
from friendship_portal.core.numbers import NumberError, read_decimal


class DateInput(forms.DateInput):
    """A text field read and written dd/mm/yyyy, whatever the browser's own locale."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y")


class AmountInput(forms.TextInput):
    """A number shown and typed as the portal writes it (1.250.000 or 25.410,5), not 1250000.0000."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return format_exact(value)
        return super().format_value(value)


class AmountField(forms.DecimalField):
    """A number read as friendship_portal/core/numbers.py reads it, the same way an import reads a
    cell. Negatives pass unless `allow_negative=False`: the model's validators say which may be."""

    widget = AmountInput

    def __init__(self, *, allow_negative: bool = True, **kwargs):
        self.allow_negative = allow_negative
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return read_decimal(
                value,
                max_digits=self.max_digits,
                decimal_places=self.decimal_places,
                allow_negative=self.allow_negative,
            )
        except NumberError as error:
            raise forms.ValidationError(str(error), code="invalid") from error


def https_by_default(model_field, **kwargs):
    """Form fields as the model gives them; a web address typed without a scheme is read as https."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return portal_formfield(model_field, **kwargs)


def portal_formfield(model_field, **kwargs):
    """Amounts are read and shown the Vietnamese way."""
    if isinstance(model_field, models.DecimalField):
        kwargs.setdefault("form_class", AmountField)
    return model_field.formfield(**kwargs)


class PortalModelFormMetaclass(forms.models.ModelFormMetaclass):
    """Every model form of the portal reads amounts the Vietnamese way (`AmountField`): Django takes the
    callback that makes the fields from the form's own Meta, so it is put there when a Meta names none."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            meta.formfield_callback = staticmethod(portal_formfield)
        return super().__new__(mcs, name, bases, attrs)


# Django's empty choice ("---------", not translated) and the one a reader sees instead.
DJANGO_EMPTY_CHOICE = "---------"
EMPTY_CHOICE = _("— choose —")


def name_the_empty_choice(form_field) -> None:
    """Show the empty choice of a select as "— Chọn —" rather than Django's "---------"."""
    if isinstance(form_field, forms.ModelChoiceField):
        if form_field.empty_label == DJANGO_EMPTY_CHOICE:
            form_field.empty_label = EMPTY_CHOICE
    elif isinstance(form_field, forms.ChoiceField):
        choices = list(form_field.choices)
        if choices and choices[0] == ("", DJANGO_EMPTY_CHOICE):
            form_field.choices = [("", EMPTY_CHOICE), *choices[1:]]


class UserModelForm(forms.ModelForm, metaclass=PortalModelFormMetaclass):
    """A model form that knows who fills it in, so it offers only the choices they may use."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for model_field in self._meta.model._meta.fields:
            form_field = self.fields.get(model_field.name)
            if form_field is not None and model_field.get_internal_type() == "DateField":
                form_field.widget = DateInput()
                form_field.input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        for form_field in self.fields.values():
            name_the_empty_choice(form_field)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ReportRequestForm(forms.Form):
    """Ask for one of the reports offered on the reports page: the kind, the year, and the fields the
    offered kinds add of their own (`ReportKind.form_fields`); each kind reads the fields it needs."""

    kind = forms.ChoiceField(label=_("Report"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.key, kind.label) for kind in kinds]
        self.fields["year"].initial = timezone.localdate().year
        for kind in kinds:
            for name, form_field in kind.form_fields.items():
                self.fields.setdefault(name, copy.deepcopy(form_field))

    def params(self) -> dict:
        """What the chosen kind is built from: every field but the kind itself."""
        return {name: value for name, value in self.cleaned_data.items() if name != "kind"}

    def extra_fields(self) -> list:
        return [self[name] for name in self.fields if name not in ("kind", "year")]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class OneTimeCodeForm(forms.Form):
    """A code from the authenticator app; on the login's second step, a backup code too."""

    code = forms.CharField(label=_("Sign-in code"), max_length=32)

    def __init__(self, *args, backup_codes: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.widget.attrs.update({"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"})
        if backup_codes:
            field.help_text = _("The 6 digits your authenticator app shows now, or one of your backup codes.")
        else:
            field.widget.attrs["inputmode"] = "numeric"
            field.help_text = _("The 6 digits the app shows now for this account.")


class PasswordConfirmForm(forms.Form):
    """The user's own password, asked again before a change to how they sign in."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."), code="password_incorrect")
        return password
