"""Formulaires DSFR de Parcours (rendu django-dsfr, sans ses avertissements de transition)."""

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr

from parcours.rules import phone

#: L'invite d'une liste sans choix fait (à la place du « --------- » de Django).
EMPTY_LABEL = "— Choisir —"
_DJANGO_EMPTY_LABEL = BLANK_CHOICE_DASH[0][1]


def french_empty_choices(form: forms.BaseForm) -> None:
    """Le choix vide de chaque liste du formulaire dit « — Choisir — » (sauf invite propre au
    champ, comme « Tous ») : listes d'objets (``ModelChoiceField``) comme listes de valeurs."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == _DJANGO_EMPTY_LABEL:
                field.empty_label = EMPTY_LABEL
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.widget.choices)
            if any(label == _DJANGO_EMPTY_LABEL for value, label in choices if value == ""):
                field.choices = [
                    (value, EMPTY_LABEL if value == "" and label == _DJANGO_EMPTY_LABEL else label)
                    for value, label in choices
                ]


#: Message d'une fin avant le début, selon le type des champs (dates : la fin peut être le jour
#: même ; heures : la fin vient après le début).
END_BEFORE_START = {
    "date": "La date de fin ne peut pas précéder la date de début.",
    "time": "L'heure de fin doit être après l'heure de début.",
}


class DsfrMixin:
    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField
    #: Paires (début, fin) du formulaire : une fin avant le début est refusée, message sur le
    #: champ de fin (heures : fin strictement après ; dates : le même jour est permis).
    start_end: tuple[tuple[str, str], ...] = ()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        french_empty_choices(self)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def clean(self):
        data = super().clean()
        for start_name, end_name in self.start_end:
            start, end = data.get(start_name), data.get(end_name)
            if start is None or end is None or end_name in self.errors:
                continue
            if isinstance(self.fields[end_name], forms.TimeField):
                if end <= start:
                    self.add_error(end_name, END_BEFORE_START["time"])
            elif end < start:
                self.add_error(end_name, END_BEFORE_START["date"])
        return data


class Form(DsfrMixin, forms.Form):
    pass


class ModelForm(DsfrMixin, forms.ModelForm):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PhoneField(forms.CharField):
    """Chaque champ téléphone : un numéro français (``rules.phone``), rendu sous sa forme
    normalisée (``06 12 34 56 78``) ; autre chose est refusé avec un message en français."""

    def __init__(self, *, label="Téléphone", max_length=30, required=False, short=False, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
        super().__init__(label=label, max_length=max_length, required=required, **kwargs)
        self.short = short  # numéros courts des services (39 60) acceptés

    def clean(self, value):
        value = super().clean(value)
        written = phone.normalise(value, short=self.short)
        if written is None:
            raise forms.ValidationError(
                phone.SHORT_MESSAGE if self.short else phone.MESSAGE, code="invalid"
            )
        return written


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
