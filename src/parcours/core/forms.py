"""Formulaires DSFR de Parcours (rendu django-dsfr, sans ses avertissements de transition)."""

from django import forms
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrMixin:
    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)


class Form(DsfrMixin, forms.Form):
    pass


class ModelForm(DsfrMixin, forms.ModelForm):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class LoginForm(Form):
    username = forms.CharField(
        label="Identifiant",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpForm(Form):
    code = forms.RegexField(
        label="Code à 6 chiffres",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Saisissez les 6 chiffres affichés par votre application."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def apply_business_errors(form, error) -> None:
    """Reporte les erreurs d'un ``BusinessError`` sur les champs du formulaire (ou en tête)."""
    for field, message in error.errors.items():
        form.add_error(field if field in form.fields else None, message)
