"""Formulaires du partage : consentement, retrait ; parcours partagés, évaluations partagées."""

from __future__ import annotations

from django import forms

from parcours.core import clock
from parcours.core.forms import DateInput, Form
from parcours.core.models import Organisation
from parcours.partners.policies import visible_partners
from parcours.rules import sharing as rules
from parcours.sharing.models import PathwayStep, SharedPathway


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


# --- Parcours partagés -------------------------------------------------------------------------


class PathwayForm(Form):
    """Ouvrir un parcours partagé sous un consentement choisi : seules les catégories qu'il
    couvre et les destinataires qu'il nomme sont proposés."""

    purpose = forms.ChoiceField(
        label="Objet du parcours", choices=[("", "— Choisir —"), *SharedPathway.Purpose.choices]
    )
    label = forms.CharField(
        label="Libellé",
        max_length=200,
        required=False,
        help_text="Obligatoire pour un parcours « Autre ».",
    )
    categories = forms.MultipleChoiceField(
        label="Informations partagées avec les participants",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    organisations: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Organismes participants",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Partenaires participants",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    referent: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Référent de parcours",
        queryset=None,
        help_text="Une AS ou un responsable de l'un des organismes du parcours.",
    )

    def __init__(self, *args, consent, referents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [
            (c, rules.CATEGORIES[c]) for c in rules.PATHWAY_CATEGORIES if c in consent.categories
        ]
        self.fields["organisations"].queryset = consent.organisations.order_by("name")
        self.fields["partners"].queryset = consent.partners.filter(active=True).order_by("name")
        self.fields["referent"].queryset = referents
        self.fields["referent"].label_from_instance = lambda u: f"{u} ({u.organisation.name})"
        for name in ("organisations", "partners"):  # rien à proposer : pas de champ
            if not self.fields[name].queryset.exists():
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if not data.get("organisations") and not data.get("partners"):
            self.add_error(
                next((n for n in ("organisations", "partners") if n in self.fields), None),
                "Nommez au moins un participant : un organisme ou un partenaire.",
            )
        return data


class ParticipantForm(Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Organisme", queryset=None, required=False
    )
    partner: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Partenaire", queryset=None, required=False
    )

    def __init__(self, *args, pathway, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = pathway.consent.organisations.exclude(
            pk__in=pathway.organisations.values("pk")
        ).order_by("name")
        self.fields["partner"].queryset = (
            pathway.consent.partners.filter(active=True)
            .exclude(pk__in=pathway.partners.values("pk"))
            .order_by("name")
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) == bool(data.get("partner")):
            self.add_error("organisation", "Choisissez un organisme ou un partenaire.")
        return data


class StepForm(Form):
    on = forms.DateField(label="Date", widget=DateInput)
    kind = forms.ChoiceField(
        label="Nature", choices=[("", "— Choisir —"), *PathwayStep.Kind.choices]
    )
    text = forms.CharField(
        label="Étape",
        max_length=500,
        help_text="Par exemple : rendez-vous CAF fixé, dossier MDPH déposé.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", clock.today())
        super().__init__(*args, **kwargs)


class PathwaySynthesisForm(Form):
    text = forms.CharField(label="Synthèse partagée", widget=forms.Textarea(attrs={"rows": 8}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CloseForm(Form):
    closed_on = forms.DateField(label="Clos le", widget=DateInput)
    outcome = forms.CharField(label="Issue du parcours", max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("closed_on", clock.today())
        super().__init__(*args, **kwargs)


class EvaluationShareForm(Form):
    """Partager une évaluation : vers un organisme nommé par un consentement en vigueur qui
    couvre l'évaluation, ou vers le département (GIR 1 à 4)."""

    recipient = forms.ChoiceField(label="Destinataire")

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [("", "— Choisir —"), *choices]
