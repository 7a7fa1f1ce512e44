"""Form pieces shared by every app: a model form that knows its user, and dd/mm/yyyy dates."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db import models


class DateInput(forms.DateInput):
    """A text field read and written dd/mm/yyyy, whatever the browser's own locale."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y")


def https_by_default(model_field, **kwargs):
    """Form fields as the model gives them; a web address typed without a scheme is read as https."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class UserModelForm(forms.ModelForm):
    """A model form that knows who fills it in, so it offers only the choices they may use."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for model_field in self._meta.model._meta.fields:
            form_field = self.fields.get(model_field.name)
            if form_field is not None and model_field.get_internal_type() == "DateField":
                form_field.widget = DateInput()
                form_field.input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
