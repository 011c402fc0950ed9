"""Formulaires de l'annuaire (partenaire, contact, convention) et des subventions (appel à
projets, candidature, décision, année accordée, versement, bilan)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from parcours.core.forms import DateInput, Form, PhoneField
from parcours.core.models import Commune, Departement, Site
from parcours.core.nomenclatures import Programme
from parcours.partners import policies, queries
from parcours.partners.models import Application, Convention, Partner
from parcours.rules import siret as siret_rules


def _territories_field(label: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Departement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _organisation_departements(user):
    return queries.organisation_departements(user.organisation_id)


class PartnerForm(Form):
    kind = forms.ChoiceField(label="Type de partenaire", choices=Partner.Kind.choices)
    name = forms.CharField(label="Nom", max_length=200)
    code = forms.SlugField(
        label="Code",
        required=False,
        max_length=40,
        help_text="Facultatif. Court et unique dans l'annuaire (lettres sans accent, chiffres, "
        "tirets ; par exemple ch-bourg) : il désigne le partenaire dans les commandes "
        "(« parcours jeton-api --partenaire ch-bourg ») et les échanges de fichiers.",
        error_messages={
            "invalid": "Lettres sans accent, chiffres, tirets et soulignés seulement, sans "
            "espace (par exemple ch-bourg).",
            "max_length": "40 caractères au plus.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    siret = forms.CharField(
        label="SIRET",
        required=False,
        max_length=20,
        help_text="14 chiffres, facultatif.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(label="Adresse", max_length=300, required=False)
    commune_code = forms.CharField(
        label="Commune (code INSEE)",
        required=False,
        max_length=5,
        help_text="Par exemple 01053 pour Bourg-en-Bresse.",
    )
    territories = _territories_field("Départements couverts")
    hosted_sites = forms.ModelMultipleChoiceField(
        label="Permanences accueillies",
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les lieux « permanence chez un partenaire » que ce partenaire accueille.",
    )
    active = forms.BooleanField(label="Partenaire actif", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territories"].queryset = _organisation_departements(user)
        self.fields["hosted_sites"].queryset = queries.partner_sites(user.organisation_id)

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean_siret(self):
        text = self.cleaned_data["siret"].strip()
        if not text:
            return ""
        written = siret_rules.normalise(text)
        if written is None:
            raise forms.ValidationError(siret_rules.MESSAGE)
        return written

    def clean_commune_code(self):
        code = self.cleaned_data["commune_code"].strip().upper()
        if code and not Commune.objects.filter(code=code).exists():
            raise forms.ValidationError(f"Code commune inconnu : « {code} ».")
        return code

    def service_data(self):
        data = dict(self.cleaned_data)
        territories = data.pop("territories")
        data["hosted_sites"] = list(data["hosted_sites"])
        code = data.pop("commune_code")
        data["commune"] = Commune.objects.get(code=code) if code else None
        return data, territories

    @staticmethod
    def initial_of(partner: Partner) -> dict:
        return {
            "kind": partner.kind,
            "name": partner.name,
            "code": partner.code,
            "siret": partner.siret,
            "address": partner.address,
            "commune_code": partner.commune_id or "",
            "territories": list(partner.territories.values_list("pk", flat=True)),
            "hosted_sites": list(partner.hosted_sites.values_list("pk", flat=True)),
            "active": partner.active,
        }


class ContactForm(Form):
    name = forms.CharField(label="Nom", max_length=200)
    function = forms.CharField(label="Fonction", max_length=200, required=False)
    phone = PhoneField()
    email = forms.EmailField(
        label="Courriel",
        required=False,
        error_messages={"invalid": "Adresse de courriel invalide (par exemple nom@exemple.fr)."},
    )

    @staticmethod
    def initial_of(contact) -> dict:
        return {
            "name": contact.name,
            "function": contact.function,
            "phone": contact.phone,
            "email": contact.email,
        }


class ConventionForm(Form):
    start_end = (("start", "end"),)

    object = forms.CharField(label="Objet", max_length=300)
    start = forms.DateField(label="Début", widget=DateInput)
    end = forms.DateField(label="Fin", widget=DateInput, required=False)  # vide : sans fin
    territories = _territories_field("Départements couverts")
    services = forms.CharField(
        label="Prestations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple : évaluations des besoins à domicile.",
    )
    unit_price = forms.DecimalField(
        label="Prix unitaire (€)",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="Quand les prestations sont payées à l'unité.",
        error_messages={
            "min_value": "Le prix unitaire ne peut pas être négatif.",
            "invalid": "Indiquez un montant en euros, par exemple 120.50.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territories"].queryset = _organisation_departements(user)

    def service_data(self):
        data = dict(self.cleaned_data)
        territories = data.pop("territories")
        return data, territories

    @staticmethod
    def initial_of(convention) -> dict:
        return {
            "object": convention.object,
            "start": convention.start,
            "end": convention.end,
            "territories": list(convention.territories.values_list("pk", flat=True)),
            "services": convention.services,
            "unit_price": convention.unit_price,
        }


# ---------------------------------------------------------------- subventions


def _amount_field(label: str, *, help_text: str = "", positive: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.01") if positive else 0,
        max_digits=12,
        decimal_places=2,
        help_text=help_text or "En euros, par exemple 12500 ou 1250.50.",
        error_messages={
            "required": "Indiquez un montant.",
            "min_value": "Le montant est positif."
            if positive
            else "Le montant ne peut pas être négatif.",
            "invalid": "Indiquez un montant en euros, par exemple 12500 ou 1250.50.",
            "max_digits": "Montant trop grand.",
            "max_decimal_places": "Au plus deux chiffres après la virgule (les centimes).",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _year_field(label: str = "Année") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Indiquez l'année.",
            "invalid": "Indiquez une année sur quatre chiffres, par exemple 2026.",
            "min_value": "Année invalide.",
            "max_value": "Année invalide.",
        },
    )


class CallForm(Form):
    start_end = (("opens_on", "closes_on"),)

    title = forms.CharField(label="Intitulé", max_length=200)
    year = _year_field()
    programme = forms.ChoiceField(label="Programme", choices=Programme.choices)
    theme = forms.CharField(
        label="Thème",
        max_length=200,
        required=False,
        help_text="Par exemple : lien social et lutte contre l'isolement des retraités.",
    )
    departements = _territories_field("Départements")
    budget = _amount_field("Budget (€)", positive=False)
    opens_on = forms.DateField(label="Ouverture des candidatures", widget=DateInput)
    closes_on = forms.DateField(label="Clôture des candidatures", widget=DateInput)
    description = forms.CharField(
        label="Présentation", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departements"].queryset = _organisation_departements(user)

    def service_data(self):
        data = dict(self.cleaned_data)
        departements = data.pop("departements")
        return data, departements

    @staticmethod
    def initial_of(call) -> dict:
        return {
            "title": call.title,
            "year": call.year,
            "programme": call.programme,
            "theme": call.theme,
            "departements": list(call.departements.values_list("pk", flat=True)),
            "budget": call.budget,
            "opens_on": call.opens_on,
            "closes_on": call.closes_on,
            "description": call.description,
        }


class ApplicationForm(Form):
    partner = forms.ModelChoiceField(label="Partenaire", queryset=Partner.objects.none())
    project_title = forms.CharField(label="Projet", max_length=300)
    requested_amount = _amount_field("Montant demandé (€)")
    received_on = forms.DateField(label="Reçue le", widget=DateInput)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners.filter(active=True)


class DecisionForm(Form):
    """Faire avancer une candidature : instruire, retenir, rejeter (avec son motif)."""

    status = forms.ChoiceField(label="Nouvel état", choices=Application.Status.choices)
    decided_on = forms.DateField(
        label="Date de la décision",
        widget=DateInput,
        required=False,
        help_text="Pour une candidature retenue ou rejetée ; aujourd'hui si vide.",
    )
    refusal_reason = forms.CharField(
        label="Motif du rejet",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, statuses=None, **kwargs):
        """``statuses`` : les seuls états proposés à l'affichage (ceux où l'on peut passer) ;
        un envoi est vérifié par le service, qui refuse un passage interdit en français."""
        super().__init__(*args, **kwargs)
        if statuses is not None:
            self.fields["status"].choices = statuses


class GrantForm(Form):
    year = _year_field()
    convention = forms.ModelChoiceField(label="Convention", queryset=Convention.objects.none())
    amount = _amount_field("Montant accordé pour l'année (€)")

    def __init__(self, *args, conventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convention"].queryset = conventions
        self.fields["convention"].label_from_instance = lambda c: (
            f"{c.object} (du {c.start:%d/%m/%Y} au {c.end:%d/%m/%Y})"
        )


class PaymentForm(Form):
    paid_on = forms.DateField(label="Versé le", widget=DateInput)
    amount = _amount_field("Montant du versement (€)")


class ReportForm(Form):
    participants = forms.IntegerField(label="Participants déclarés", min_value=0, max_value=100000)
    sessions = forms.IntegerField(label="Séances déclarées", min_value=0, max_value=10000)
    received_on = forms.DateField(label="Bilan reçu le", widget=DateInput)
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @staticmethod
    def initial_of(report) -> dict:
        if report is None:
            return {}
        return {
            "participants": report.participants,
            "sessions": report.sessions,
            "received_on": report.received_on,
            "comment": report.comment,
        }


# ---------------------------------------------------------------- le choix d'un partenaire


class PartnerChoiceField(forms.ModelChoiceField):
    """Un partenaire de l'annuaire de l'organisme (liste limitée par la politique)."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class PartnerMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


def partner_field(label: str, *, help_text: str = "") -> PartnerChoiceField:
    """Le champ « partenaire de l'annuaire », facultatif ; sa liste est posée par
    :func:`offer_directory` (les partenaires actifs que l'agent voit)."""
    return PartnerChoiceField(
        label=label,
        queryset=Partner.objects.none(),
        required=False,
        empty_label="— hors annuaire (texte ci-dessous) —",
        help_text=help_text,
        error_messages={"invalid_choice": "Choisissez un partenaire de l'annuaire."},
    )


def partners_field(label: str, *, help_text: str = "") -> PartnerMultipleChoiceField:
    return PartnerMultipleChoiceField(
        label=label,
        queryset=Partner.objects.none(),
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choisissez des partenaires de l'annuaire."},
    )


def offer_directory(form: forms.Form, user, *names: str, keep=()) -> None:
    """Pose la liste des champs ``names`` : les partenaires actifs de l'annuaire que ``user``
    voit (``policies.visible_partners``), plus ceux déjà choisis (``keep``) même inactifs."""
    choices = queries.directory_choices(policies.visible_partners(user), keep=keep)
    for name in names:
        field = form.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = choices


class MergeForm(Form):
    target = PartnerChoiceField(
        label="Partenaire à garder",
        queryset=Partner.objects.none(),
        empty_label="— choisir —",
        help_text="Contacts, conventions, lieux et tous les liens passent à ce partenaire.",
        error_messages={
            "required": "Choisissez le partenaire à garder.",
            "invalid_choice": "Choisissez un partenaire de l'annuaire.",
        },
    )

    def __init__(self, *args, user, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            policies.visible_partners(user).exclude(pk=source.pk).order_by("name", "pk")
        )
