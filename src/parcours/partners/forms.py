"""Formulaires de l'annuaire : partenaire, contact, convention."""

from __future__ import annotations

from django import forms

from parcours.core.forms import DateInput, Form, PhoneField
from parcours.core.models import Commune, Departement
from parcours.partners import queries
from parcours.partners.models import Partner
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
    active = forms.BooleanField(label="Partenaire actif", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territories"].queryset = _organisation_departements(user)

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
        code = data.pop("commune_code")
        data["commune"] = Commune.objects.get(code=code) if code else None
        return data, territories

    @staticmethod
    def initial_of(partner: Partner) -> dict:
        return {
            "kind": partner.kind,
            "name": partner.name,
            "siret": partner.siret,
            "address": partner.address,
            "commune_code": partner.commune_id or "",
            "territories": list(partner.territories.values_list("pk", flat=True)),
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
    end = forms.DateField(label="Fin", widget=DateInput)
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
