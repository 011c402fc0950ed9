"""Formulaires du partage : consentement, retrait."""

from __future__ import annotations

from django import forms

from parcours.core import clock
from parcours.core.forms import DateInput, Form
from parcours.core.models import Organisation
from parcours.partners.policies import visible_partners
from parcours.rules import sharing as rules


class ConsentForm(Form):
    given_by = forms.ChoiceField(
        label="Donné par",
        choices=list(rules.GIVERS.items()),
        widget=forms.RadioSelect,
        initial="PERSONNE",
    )
    representative_name = forms.CharField(
        label="Nom du représentant légal",
        max_length=200,
        required=False,
        help_text="Seulement si le consentement est donné par le représentant légal.",
    )
    method = forms.ChoiceField(
        label="Comment", choices=[("", "— Choisir —"), *rules.METHODS.items()]
    )
    given_on = forms.DateField(label="Donné le", widget=DateInput)
    purpose = forms.CharField(
        label="But du partage",
        max_length=300,
        help_text="Par exemple : orientation vers Cap emploi pour un maintien dans l'emploi.",
    )
    categories = forms.MultipleChoiceField(
        label="Informations que la personne accepte de partager",
        choices=list(rules.CATEGORIES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    partners: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Partenaires destinataires",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Autres organismes destinataires",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("given_on", clock.today())
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = (
            visible_partners(user).filter(active=True).order_by("name")
        )
        self.fields["organisations"].queryset = Organisation.objects.exclude(
            pk=user.organisation_id
        ).order_by("name")
        if not self.fields["organisations"].queryset.exists():
            del self.fields["organisations"]  # un seul organisme sur l'installation

    def clean(self):
        data = super().clean()
        if not data.get("partners") and not data.get("organisations", ()):
            self.add_error(
                "partners", "Nommez au moins un destinataire : un partenaire ou un organisme."
            )
        if (
            data.get("given_by") == "REPRESENTANT"
            and not data.get("representative_name", "").strip()
        ):
            self.add_error("representative_name", "Indiquez le nom du représentant légal.")
        return data


class WithdrawForm(Form):
    on = forms.DateField(label="Retiré le", widget=DateInput)
    reason = forms.CharField(label="Motif (facultatif)", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", clock.today())
        super().__init__(*args, **kwargs)
