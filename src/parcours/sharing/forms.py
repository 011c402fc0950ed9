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


# --- Orientations ------------------------------------------------------------------------------

NEW_CONSENT = "nouveau"


class OrientationForm(Form):
    """L'orientation en un écran : destinataire, motif, demande, base du partage (consentement
    choisi ou recueilli ici), informations partagées, échéance.

    Sous un consentement choisi, seules les catégories qu'il couvre sont proposées (le service
    refuse de toute façon les autres)."""

    recipient = forms.ChoiceField(label="Destinataire")
    partner_contact: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Contact chez le partenaire (reçoit le lien de réponse)",
        queryset=None,
        required=False,
    )
    reason = forms.ChoiceField(label="Motif")
    request = forms.CharField(
        label="Ce qui est demandé", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    basis = forms.ChoiceField(
        label="Base du partage",
        choices=list(rules.BASES.items()),
        widget=forms.RadioSelect,
        initial=rules.CONSENTEMENT,
    )
    consent = forms.ChoiceField(label="Consentement à utiliser", required=False)
    consent_given_on = forms.DateField(
        label="Consentement donné le", widget=DateInput, required=False
    )
    consent_method = forms.ChoiceField(
        label="Comment", choices=[("", "— Choisir —"), *rules.METHODS.items()], required=False
    )
    consent_given_by = forms.ChoiceField(
        label="Donné par", choices=list(rules.GIVERS.items()), required=False, initial="PERSONNE"
    )
    consent_representative_name = forms.CharField(
        label="Nom du représentant légal", max_length=200, required=False
    )
    categories = forms.MultipleChoiceField(
        label="Informations partagées", widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(label="Réponse attendue avant le", widget=DateInput)

    def __init__(self, *args, user, consents, organisations, **kwargs):
        from parcours.core.nomenclatures import Problematique
        from parcours.partners.models import PartnerContact
        from parcours.rules import orientations as orientation_rules

        today = clock.today()
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("deadline", orientation_rules.default_deadline(today))
        initial.setdefault("consent_given_on", today)
        super().__init__(*args, **kwargs)
        partners = list(visible_partners(user).filter(active=True).order_by("name"))
        self.partners = {f"p{p.pk}": p for p in partners}
        self.organisations = {f"o{o.pk}": o for o in organisations}
        self.fields["recipient"].choices = [
            ("", "— Choisir —"),
            ("Partenaires de l'annuaire", [(k, str(p)) for k, p in self.partners.items()]),
            (
                "Autres organismes de l'installation",
                [(k, o.name) for k, o in self.organisations.items()],
            ),
        ]
        self.fields["partner_contact"].queryset = PartnerContact.objects.filter(
            partner__in=partners
        ).select_related("partner")
        self.fields["partner_contact"].label_from_instance = lambda c: (
            f"{c.partner} — {c.name}" + (f" ({c.email})" if c.email else " (sans courriel)")
        )
        self.fields["reason"].choices = [("", "— Choisir —"), *Problematique.choices]
        self.consents = {str(c.pk): c for c in consents}
        self.fields["consent"].choices = [
            ("", "— Aucun —"),
            *[
                (
                    k,
                    f"Du {c.given_on:%d/%m/%Y} — "
                    + ", ".join(
                        [str(p) for p in c.partners.all()] + [o.name for o in c.organisations.all()]
                    )
                    + " — "
                    + ", ".join(c.category_labels()),
                )
                for k, c in self.consents.items()
            ],
            (NEW_CONSENT, "Le recueillir maintenant (ci-dessous)"),
        ]
        self.fields["categories"].choices = self.offered_categories()

    def chosen_consent(self):
        value = self.data.get("consent", "") if self.is_bound else self.initial.get("consent", "")
        return self.consents.get(str(value))

    def offered_categories(self) -> list[tuple[str, str]]:
        """Les catégories qu'une orientation partage ; sous un consentement choisi, celles qu'il
        couvre seulement."""
        from parcours.rules import orientations as orientation_rules

        allowed = list(orientation_rules.ORIENTATION_CATEGORIES)
        basis = self.data.get("basis", "") if self.is_bound else self.initial.get("basis", "")
        consent = self.chosen_consent()
        if basis != rules.MISSION_LEGALE and consent is not None:
            allowed = [c for c in allowed if c in consent.categories]
        return [(c, rules.CATEGORIES[c]) for c in allowed]

    def clean(self):
        data = super().clean()
        recipient = data.get("recipient", "")
        data["partner"] = self.partners.get(recipient)
        data["organisation"] = self.organisations.get(recipient)
        data["new_consent"] = None
        data["consent_obj"] = None
        if data.get("basis") == rules.CONSENTEMENT:
            if data.get("consent") == NEW_CONSENT:
                if not data.get("consent_method"):
                    self.add_error(
                        "consent_method", "Indiquez comment le consentement a été donné."
                    )
                if not data.get("consent_given_on"):
                    self.add_error("consent_given_on", "Indiquez la date du consentement.")
                if (
                    data.get("consent_given_by") == "REPRESENTANT"
                    and not data.get("consent_representative_name", "").strip()
                ):
                    self.add_error(
                        "consent_representative_name", "Indiquez le nom du représentant légal."
                    )
                data["new_consent"] = {
                    "given_on": data.get("consent_given_on"),
                    "method": data.get("consent_method", ""),
                    "given_by": data.get("consent_given_by") or "PERSONNE",
                    "representative_name": data.get("consent_representative_name", ""),
                }
            else:
                data["consent_obj"] = self.consents.get(data.get("consent", ""))
        return data


class OrientationAnswerForm(Form):
    """La réponse du destinataire, par son lien."""

    status = forms.ChoiceField(label="Votre réponse", widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Commentaire (obligatoire en cas de refus)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class CloseOrientationForm(Form):
    comment = forms.CharField(label="Commentaire (facultatif)", max_length=2000, required=False)
