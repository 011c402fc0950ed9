from django import forms

from parcours.cases.models import Case, Objective
from parcours.core import clock
from parcours.core.forms import DateInput, Form
from parcours.core.models import User
from parcours.core.nomenclatures import (
    Action,
    Fonction,
    Issue,
    Mode,
    Origine,
    Problematique,
    Programme,
    Risque,
    Secteur,
)
from parcours.core.queries import social_workers
from parcours.rules import case_workflow


class OpenCaseForm(Form):
    programme = forms.ChoiceField(label="Programme", choices=Programme.choices)
    origin = forms.ChoiceField(label="Origine", choices=Origine.choices)
    referent = forms.ModelChoiceField(label="AS référent·e", queryset=User.objects.none())
    opened_on = forms.DateField(label="Date d'ouverture", widget=DateInput())

    def __init__(self, *args, person, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = social_workers(
            person.organisation_id, person.departement_id
        )
        self.initial.setdefault("opened_on", clock.today())
        if user.function == Fonction.AS:
            self.initial.setdefault("referent", user.pk)

    def clean_opened_on(self):
        opened = self.cleaned_data["opened_on"]
        if opened > clock.today():
            raise forms.ValidationError("La date d'ouverture ne peut pas être dans le futur.")
        return opened


class ContactForm(Form):
    on = forms.DateField(label="Date", widget=DateInput())
    mode = forms.ChoiceField(label="Mode", choices=Mode.choices)
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=1, max_value=600, required=False
    )
    actions = forms.MultipleChoiceField(
        label="Actions réalisées",
        choices=Action.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    problems = forms.MultipleChoiceField(
        label="Problématiques abordées",
        choices=Problematique.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="Note (partagée avec l'équipe)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["actions"].widget.inline = True
        self.fields["problems"].widget.inline = True
        self.initial.setdefault("on", clock.today())
        self.initial.setdefault("mode", Mode.RECEPTION_RDV)

    def clean_on(self):
        on = self.cleaned_data["on"]
        errors = case_workflow.contact_date_errors(
            on, self.case.opened_on, self.case.closed_on, clock.today()
        )
        if errors:
            raise forms.ValidationError(errors[0])
        return on


class SynthesisForm(Form):
    synthesis = forms.CharField(
        label="Texte de la synthèse",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ObjectiveForm(Form):
    label = forms.CharField(label="Nouvel objectif", max_length=300)
    due_on = forms.DateField(label="Échéance", required=False, widget=DateInput())


class ObjectiveStatusForm(Form):
    status = forms.ChoiceField(label="État", choices=Objective.Status.choices)


class PrivateNoteForm(Form):
    text = forms.CharField(
        label="Nouvelle note privée",
        max_length=10000,
        help_text="Visible de vous seul·e, jamais de vos collègues ni de votre responsable.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


#: La première ligne du choix de l'issue (les issues permises suivent, selon le programme).
NO_OUTCOME = ("", "— Choisir l'issue —")


class CloseForm(Form):
    closed_on = forms.DateField(label="Date de clôture", widget=DateInput())
    outcome = forms.ChoiceField(label="Issue", choices=[NO_OUTCOME])
    risk = forms.ChoiceField(
        label="Risque", required=False, choices=[("", "— Choisir —"), *Risque.choices]
    )
    sector = forms.ChoiceField(
        label="Secteur d'activité", required=False, choices=[("", "— Choisir —"), *Secteur.choices]
    )
    employment_contract = forms.ChoiceField(
        label="Contrat de travail à l'entrée",
        required=False,
        choices=[("", "— Choisir —"), *Case.EmploymentContract.choices],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        allowed = case_workflow.allowed_outcomes(case.programme)
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = [NO_OUTCOME, *((c, Issue(c).label) for c in allowed)]
        self.initial.setdefault("closed_on", clock.today())
        self.initial.setdefault("version", case.version)
        if case.programme != Programme.PDP:
            for name in ("risk", "sector", "employment_contract"):
                del self.fields[name]
        else:
            self.fields["risk"].required = True
            self.fields["sector"].required = True
            self.initial.setdefault("risk", case.risk)
            self.initial.setdefault("sector", case.sector)
            self.initial.setdefault("employment_contract", case.employment_contract)

    def clean(self):
        data = super().clean()
        errors = case_workflow.closure_errors(
            self.case.programme,
            data.get("outcome", ""),
            data.get("closed_on"),
            self.case.opened_on,
            clock.today(),
            data.get("risk", ""),
            data.get("sector", ""),
        )
        for field, message in errors.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
            elif field not in self.fields:
                self.add_error(None, message)
        return data


class ReassignForm(Form):
    referent = forms.ModelChoiceField(label="Nouvelle AS référente", queryset=User.objects.none())

    def __init__(self, *args, organisation_id, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = User.objects.filter(
            organisation_id=organisation_id,
            function=Fonction.AS,
            is_active=True,
            departements__code__in=departements,
        ).distinct()
