"""Formulaires des aides (messages en français, à côté du champ)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from dsfr.utils import dsfr_input_class_attr

from parcours.aid.models import (
    Aid,
    AidRequest,
    CommissionSession,
    Evaluation,
    Payment,
    PlanLine,
)
from parcours.core import clock
from parcours.core.forms import DateInput, Form
from parcours.partners.models import Convention
from parcours.rules import aggir, aid_rules

REQUIRED = {"required": "Ce champ est obligatoire."}
BLANK = [("", "— choisir —")]


def convention_label(convention: Convention) -> str:
    """« Partenaire — objet (prix € l'évaluation) » dans la liste des conventions."""
    return (
        f"{convention.partner.name} — {convention.object} ({convention.unit_price} € l'évaluation)"
    )


class PersonSearchForm(Form):
    q = forms.CharField(
        label="Rechercher une personne",
        max_length=100,
        help_text="Nom, prénom ou date de naissance",
    )


class EvaluationForm(Form):
    evaluated_on = forms.DateField(
        label="Date de l'évaluation", widget=DateInput(), error_messages=REQUIRED
    )
    kind = forms.ChoiceField(
        label="Nature", choices=BLANK + list(Evaluation.Kind.choices), error_messages=REQUIRED
    )
    place = forms.ChoiceField(label="Lieu", choices=Evaluation.Place.choices)
    convention: forms.ModelChoiceField[Convention] = forms.ModelChoiceField(
        label="Convention (évaluation pour un autre organisme)",
        queryset=None,
        required=False,
        empty_label="— aucune —",
    )
    situation = forms.CharField(
        label="Situation",
        help_text="Conditions de vie, entourage, logement, fragilités repérées.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=REQUIRED,
    )

    def __init__(self, *args, conventions, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("evaluated_on", clock.today())
        super().__init__(*args, **kwargs)
        self.fields["convention"].queryset = conventions
        self.fields["convention"].label_from_instance = convention_label
        for variable in aggir.VARIABLES:
            self.fields[variable.lower()] = forms.ChoiceField(
                label=f"{variable} — {aggir.VARIABLE_LABELS[variable]}",
                choices=BLANK + [(m, aggir.MODALITY_LABELS[m]) for m in aggir.MODALITIES],
                error_messages=REQUIRED,
            )
        for service, label in PlanLine.Service.choices:
            self.fields[f"plan_{service}"] = forms.DecimalField(
                label=label, required=False, min_value=0, max_digits=6, decimal_places=1
            )
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def grid_fields(self):
        return [self[v.lower()] for v in aggir.VARIABLES]

    def plan_fields(self):
        return [self[f"plan_{s}"] for s in PlanLine.Service.values]

    def main_fields(self):
        return [self[n] for n in ("evaluated_on", "kind", "place", "convention", "situation")]

    def grid(self) -> dict[str, str]:
        return {v: self.cleaned_data[v.lower()] for v in aggir.VARIABLES}

    def plan(self):
        return [
            (s, self.cleaned_data[f"plan_{s}"], "")
            for s in PlanLine.Service.values
            if self.cleaned_data.get(f"plan_{s}")
        ]


class FactsMixin:
    """Les faits de la situation qui servent aux conditions et aux montants."""

    cleaned_data: dict[str, Any]  # celui du formulaire (Form) auquel la classe est mêlée

    def add_fact_fields(self):
        f = self.fields
        f["regime"] = forms.ChoiceField(
            label="Régime", choices=list(aid_rules.REGIME_LABELS.items()), initial="REGIME_GENERAL"
        )
        f["monthly_income"] = forms.DecimalField(
            label="Ressources mensuelles du foyer (€)",
            required=False,
            min_value=0,
            decimal_places=2,
        )
        f["family_quotient"] = forms.DecimalField(
            label="Quotient familial (€)", required=False, min_value=0, decimal_places=2
        )
        f["children"] = forms.IntegerField(
            label="Enfants à charge", required=False, min_value=0, initial=0
        )
        f["disabled_child"] = forms.BooleanField(
            label="Un enfant en situation de handicap", required=False
        )
        f["severe_poverty"] = forms.BooleanField(label="Grande précarité", required=False)
        f["event"] = forms.ChoiceField(
            label="Événement de vie",
            choices=[("", "— aucun —"), *aid_rules.EVENT_LABELS.items()],
            required=False,
        )
        f["event_on"] = forms.DateField(
            label="Date de l'événement", required=False, widget=DateInput()
        )
        f["births"] = forms.IntegerField(
            label="Naissances (1 ; 2 pour des jumeaux ; 3 pour des triplés)",
            required=False,
            min_value=0,
            max_value=6,
        )
        f["cost"] = forms.DecimalField(
            label="Coût à financer (devis, facture) (€)",
            required=False,
            min_value=0,
            decimal_places=2,
        )
        f["hours"] = forms.DecimalField(
            label="Heures d'aide à domicile demandées",
            required=False,
            min_value=0,
            decimal_places=1,
        )
        f["other_plan_in_progress"] = forms.BooleanField(
            label="Un autre plan d'aide est en cours", required=False
        )

    FACT_NAMES = (
        "regime",
        "monthly_income",
        "family_quotient",
        "children",
        "disabled_child",
        "severe_poverty",
        "event",
        "event_on",
        "births",
        "cost",
        "hours",
        "other_plan_in_progress",
    )

    def facts(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.FACT_NAMES}

    def fact_fields(self):
        return [self[n] for n in self.FACT_NAMES]

    def clean(self):
        data = super().clean()
        if data.get("event") and not data.get("event_on"):
            self.add_error("event_on", "Indiquez la date de l'événement.")
        return data


def _restyle(form):
    for visible in form.visible_fields():
        dsfr_input_class_attr(visible)


class RequestForm(FactsMixin, Form):
    aid: forms.ModelChoiceField[Aid] = forms.ModelChoiceField(
        label="Aide demandée", queryset=None, empty_label="— choisir —", error_messages=REQUIRED
    )
    received_on = forms.DateField(
        label="Date de la demande", widget=DateInput(), error_messages=REQUIRED
    )
    channel = forms.ChoiceField(
        label="Canal",
        choices=AidRequest.Channel.choices,
        initial=AidRequest.Channel.TRAVAILLEUR_SOCIAL,
    )
    evaluation: forms.ModelChoiceField[Evaluation] = forms.ModelChoiceField(
        label="Évaluation des besoins liée", queryset=None, required=False, empty_label="— aucune —"
    )

    def __init__(self, *args, aids, evaluations, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", clock.today())
        super().__init__(*args, **kwargs)
        self.fields["aid"].queryset = aids
        self.fields["aid"].label_from_instance = lambda a: f"{a.name} ({a.source})"
        self.fields["evaluation"].queryset = evaluations
        self.add_fact_fields()
        _restyle(self)


class SimulatorForm(FactsMixin, Form):
    on = forms.DateField(label="Date de la demande", widget=DateInput(), error_messages=REQUIRED)
    age = forms.IntegerField(label="Âge", required=False, min_value=0, max_value=130)
    gir = forms.IntegerField(
        label="GIR (si une évaluation existe)", required=False, min_value=1, max_value=6
    )
    channel = forms.ChoiceField(
        label="Canal",
        choices=AidRequest.Channel.choices,
        initial=AidRequest.Channel.TRAVAILLEUR_SOCIAL,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", clock.today())
        super().__init__(*args, **kwargs)
        self.add_fact_fields()
        _restyle(self)

    def situation(self):
        from parcours.aid.services import _facts_json, situation_from

        data = self.cleaned_data
        return situation_from(
            facts=_facts_json(self.facts() | {"gir": data.get("gir")}),
            on=data["on"],
            age=data.get("age"),
            channel=data["channel"],
            last_granted_on=None,
        )


class DocumentsForm(Form):
    missing = forms.CharField(
        label="Pièces manquantes (une par ligne)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REQUIRED,
    )

    def lines(self):
        return [line for line in self.cleaned_data["missing"].splitlines() if line.strip()]


class OpinionForm(Form):
    favourable = forms.TypedChoiceField(
        label="Avis",
        choices=[("1", "Favorable"), ("0", "Défavorable")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    opinion = forms.CharField(
        label="Motivation de l'avis",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REQUIRED,
    )


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("accorder", "Accorder"), ("refuser", "Refuser")],
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    amount = forms.DecimalField(
        label="Montant accordé (€)", required=False, min_value=0, decimal_places=2
    )
    monthly_repayment = forms.DecimalField(
        label="Mensualité de remboursement (prêt) (€)",
        required=False,
        min_value=0,
        decimal_places=2,
    )
    reason = forms.CharField(
        label="Motif (figure sur la notification)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REQUIRED,
    )
    confirm_over_budget = forms.BooleanField(
        label="Je confirme malgré le dépassement de la ligne budgétaire", required=False
    )


class CommissionDecisionForm(DecisionForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("accorder", "Accorder"), ("refuser", "Refuser"), ("ajourner", "Ajourner")],
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )


class SessionForm(Form):
    departement = forms.ChoiceField(label="Département", choices=())
    held_on = forms.DateField(
        label="Date de la séance", widget=DateInput(), error_messages=REQUIRED
    )

    def __init__(self, *args, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [(d, d) for d in sorted(departements)]


class SendToSessionForm(Form):
    session: forms.ModelChoiceField[CommissionSession] = forms.ModelChoiceField(
        label="Séance", queryset=None, empty_label="— choisir —", error_messages=REQUIRED
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class PaymentForm(Form):
    amount = forms.DecimalField(
        label="Montant payé (€)", min_value=0, decimal_places=2, error_messages=REQUIRED
    )
    paid_on = forms.DateField(label="Date du paiement", widget=DateInput(), error_messages=REQUIRED)
    payee = forms.ChoiceField(label="Payé à", choices=Payment.Payee.choices)
    payee_name = forms.CharField(label="Prestataire (si payé à un prestataire)", required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("paid_on", clock.today())
        super().__init__(*args, **kwargs)


class RegulationForm(Form):
    label = forms.CharField(label="Intitulé", max_length=200, error_messages=REQUIRED)
    starts_on = forms.DateField(
        label="En vigueur à partir du", widget=DateInput(), error_messages=REQUIRED
    )
    ends_on = forms.DateField(label="Jusqu'au (inclus)", widget=DateInput(), required=False)
    start_end = (("starts_on", "ends_on"),)


class JsonField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 8, "class": "fr-input parcours-mono"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return {}
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"JSON invalide (ligne {error.lineno}, colonne {error.colno})."
            ) from None

    def prepare_value(self, value):
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value


class AidForm(Form):
    code = forms.SlugField(label="Code", max_length=40, error_messages=REQUIRED)
    name = forms.CharField(label="Intitulé", max_length=200, error_messages=REQUIRED)
    source = forms.CharField(label="Financeur", max_length=100, required=False)
    form = forms.ChoiceField(
        label="Forme", choices=[("SUBVENTION", "Aide non remboursable"), ("PRET", "Prêt")]
    )
    conditions = JsonField(label="Conditions d'attribution (JSON)", required=False)
    amount_rule = JsonField(label="Règle de montant (JSON)", error_messages=REQUIRED)
    documents = forms.CharField(
        label="Pièces justificatives (une par ligne)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    budget_code = forms.CharField(label="Ligne budgétaire (code)", max_length=40, required=False)
    delegation_ceiling = forms.DecimalField(
        label="Plafond de délégation au responsable (€)",
        required=False,
        min_value=0,
        decimal_places=2,
    )

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["documents"] = [d.strip() for d in data["documents"].splitlines() if d.strip()]
        return data


class OverpaymentForm(Form):
    amount = forms.DecimalField(
        label="Montant de l'indu (€)", min_value=0, decimal_places=2, error_messages=REQUIRED
    )
    reason = forms.CharField(label="Motif de l'indu", max_length=300, error_messages=REQUIRED)


class RecoveryForm(Form):
    amount = forms.DecimalField(
        label="Montant recouvré (€)", min_value=0, decimal_places=2, error_messages=REQUIRED
    )


class NewVersionForm(Form):
    label = forms.CharField(
        label="Intitulé de la nouvelle version", max_length=200, error_messages=REQUIRED
    )
    starts_on = forms.DateField(
        label="En vigueur à partir du", widget=DateInput(), error_messages=REQUIRED
    )
