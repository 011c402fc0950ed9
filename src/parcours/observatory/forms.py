"""Formulaires de l'observatoire (les pages sont dans ``observatory.views``)."""

from django import forms

from parcours.core.forms import Form
from parcours.observatory import queries
from parcours.rules import fragility

_AGE_ERRORS = {
    "required": "Indiquez un âge.",
    "invalid": "Un âge en années entières.",
    "min_value": "Chaque âge doit être compris entre 1 et 120 ans.",
    "max_value": "Chaque âge doit être compris entre 1 et 120 ans.",
}


class AgeThresholdsForm(Form):
    """Les trois âges des tranches du score (formats.md §6.1) : ``AgeThresholdsForm(data,
    organisation=org)`` montre ceux de l'organisme ; ``raw()`` les rend pour
    ``observatory.services.settings.update_age_thresholds``."""

    age_2 = forms.IntegerField(
        label="Âge d'entrée dans la tranche 2 (2 points)",
        help_text="70 par défaut : avant cet âge, 1 point (retraités de moins de 60 ans compris).",
        error_messages=_AGE_ERRORS,
        min_value=1,
        max_value=120,
    )
    age_3 = forms.IntegerField(
        label="Âge d'entrée dans la tranche 3 (3 points)",
        help_text="80 par défaut.",
        error_messages=_AGE_ERRORS,
        min_value=1,
        max_value=120,
    )
    age_4 = forms.IntegerField(
        label="Âge d'entrée dans la tranche 4 (4 points)",
        help_text="90 par défaut. Les nouveaux âges valent pour les imports suivants.",
        error_messages=_AGE_ERRORS,
        min_value=1,
        max_value=120,
    )

    def __init__(self, *args, organisation, **kwargs):
        thresholds = queries.age_thresholds(organisation.pk)
        initial = {"age_2": thresholds[0], "age_3": thresholds[1], "age_4": thresholds[2]}
        initial.update(kwargs.pop("initial", None) or {})
        super().__init__(*args, initial=initial, **kwargs)
        self.organisation = organisation

    def clean(self):
        data = super().clean()
        if not self.errors:
            _, error = fragility.clean_age_thresholds(self.raw())
            if error:
                self.add_error(None, error)
        return data

    def raw(self) -> list[int]:
        return [self.cleaned_data["age_2"], self.cleaned_data["age_3"], self.cleaned_data["age_4"]]
