from django import forms

from parcours.core import clock
from parcours.core.forms import DateInput, Form, PhoneField
from parcours.core.models import Commune, Departement, Site, User
from parcours.core.nomenclatures import Fonction, Programme, Sexe, TypeCollectif
from parcours.groups.models import Question, Questionnaire, Registration
from parcours.partners import policies as partner_policies
from parcours.partners.forms import offer_directory, partner_field, partners_field
from parcours.partners.models import Grant
from parcours.rules import collective as rules

#: l'aide du champ commune d'une séance (le croisement de l'observatoire des fragilités)
COMMUNE_HELP = (
    "Pour une séance hors d'un lieu d'accueil ou d'un partenaire de l'annuaire : la commune "
    "où elle se tient (observatoire des fragilités)."
)


def commune_of_code(raw: str | None) -> Commune | None:
    """La commune du référentiel de code ``raw`` (espaces et casse ignorés), ``None`` si vide ;
    un code inconnu est refusé en français, comme sur les fiches des personnes et partenaires."""
    code = (raw or "").strip().upper()
    if not code:
        return None
    commune = Commune.objects.filter(code=code).first()
    if commune is None:
        raise forms.ValidationError(f"Code commune inconnu : « {code} ».")
    return commune


def commune_prefill(raw: str | None) -> Commune | None:
    """La commune d'un paramètre d'adresse (``?commune=CODE``) : ``None`` si absente ou
    inconnue, sans erreur (un préremplissage ne refuse rien)."""
    if raw is None or len(raw) > 10:
        return None
    try:
        return commune_of_code(raw)
    except forms.ValidationError:
        return None


def action_prefill(params, user) -> tuple[dict, Commune | None]:
    """« Programmer une action » depuis une zone blanche de l'observatoire :
    ``?commune=CODE&programme=CODE`` préremplit le programme et le département (celui de la
    commune) et garde la commune pour la première séance. Une valeur inconnue, ou une commune
    hors des départements de l'agent, est ignorée. Rend (valeurs initiales, commune)."""
    initial: dict = {}
    programme = (params.get("programme") or "").strip().upper()
    if programme in Programme.values:
        initial["programme"] = programme
    commune = commune_prefill(params.get("commune"))
    if commune is not None and user.departements.filter(code=commune.departement_id).exists():
        initial["departement"] = commune.departement_id
        initial["commune"] = commune.code
    else:
        commune = None
    return initial, commune


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class ActionForm(Form):
    type = forms.ChoiceField(label="Type d'action", choices=TypeCollectif.choices)
    programme = forms.ChoiceField(label="Programme", choices=Programme.choices)
    title = forms.CharField(label="Intitulé", max_length=200)
    title_is_public = forms.BooleanField(
        label="Intitulé public",
        required=False,
        help_text=(
            "À cocher seulement si l'intitulé et la présentation ne révèlent rien de la "
            "situation des personnes (par exemple « Atelier numérique ») : ils s'affichent "
            "alors sur la page d'inscription reçue par lien. Sinon, la page dit seulement "
            "« Votre inscription à un atelier »."
        ),
    )
    public = forms.CharField(label="Public visé", max_length=300, required=False)
    departement = forms.ModelChoiceField(label="Département", queryset=Departement.objects.none())
    directory_partners = partners_field("Partenaires (annuaire)")
    partners = forms.CharField(
        label="Autres partenaires (hors annuaire)",
        help_text="Seulement ceux qui ne sont pas dans l'annuaire, séparés par des virgules.",
        max_length=500,
        required=False,
    )
    cofunders = forms.CharField(label="Cofinanceurs", max_length=500, required=False)
    facilitators = forms.ModelMultipleChoiceField(
        label="Animatrices et animateurs (AS)",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    facilitator_partners = partners_field(
        "Partenaires qui interviennent (annuaire)",
        help_text="Les structures des intervenants extérieurs.",
    )
    partner_facilitators = forms.CharField(
        label="Intervenants des partenaires",
        help_text="Noms (et structures hors annuaire), séparés par des virgules.",
        max_length=500,
        required=False,
    )
    description = forms.CharField(
        label="Présentation (reprise dans l'invitation)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    grant = forms.ModelChoiceField(
        label="Financée par la subvention",
        queryset=Grant.objects.none(),
        required=False,
        help_text="L'année de subvention accordée au partenaire qui mène l'action.",
    )
    #: la commune d'une zone blanche d'où l'action est programmée (``action_prefill``) : elle
    #: passe au formulaire de la première séance ; ignorée si inconnue ou hors du département
    commune = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.programmed_commune: Commune | None = None
        deps = list(user.departements.values_list("code", flat=True))
        self.fields["departement"].queryset = Departement.objects.filter(code__in=deps)
        if partner_policies.can_manage_subsidies(user):
            self.fields["grant"].queryset = partner_policies.visible_grants(user).select_related(
                "application", "application__partner"
            )
            self.fields["grant"].label_from_instance = lambda g: (
                f"{g.application.partner} — {g.application.project_title} ({g.year})"
            )
        else:  # qui ne voit pas les subventions ne les choisit pas (et ne les efface pas)
            del self.fields["grant"]
        self.fields["facilitators"].queryset = User.objects.filter(
            organisation_id=user.organisation_id,
            function=Fonction.AS,
            is_active=True,
            departements__code__in=deps,
        ).distinct()
        keep = [
            *self.initial.get("directory_partners", ()),
            *self.initial.get("facilitator_partners", ()),
        ]
        offer_directory(self, user, "directory_partners", "facilitator_partners", keep=keep)

    def clean(self):
        data = super().clean()
        commune = commune_prefill(data.get("commune"))
        departement = data.get("departement")
        if commune is not None and (
            departement is None or commune.departement_id != departement.code
        ):
            commune = None
        self.programmed_commune = commune
        return data

    def service_data(self):
        """(données, animateurs, partenaires, partenaires des intervenants)."""
        data = dict(self.cleaned_data)
        data.pop("commune", None)
        facilitators = data.pop("facilitators")
        partners = (list(data.pop("directory_partners")), list(data.pop("facilitator_partners")))
        data["departement_id"] = data.pop("departement").code
        return data, facilitators, partners


class SessionForm(Form):
    date = forms.DateField(label="Date", widget=DateInput())
    start_time = forms.TimeField(label="Heure de début", widget=TimeInput())
    end_time = forms.TimeField(label="Heure de fin", widget=TimeInput(), required=False)
    capacity = forms.IntegerField(label="Nombre de places", min_value=1, max_value=500)
    video = forms.BooleanField(label="En visioconférence", required=False)
    site = forms.ModelChoiceField(
        label="Lieu d'accueil", queryset=Site.objects.none(), required=False
    )
    partner = partner_field(
        "Ou chez un partenaire de l'annuaire",
        help_text="Son adresse est celle de sa fiche ; précisez la salle ci-dessous.",
    )
    partner_place = forms.CharField(
        label="Précision du lieu, ou lieu d'un partenaire hors annuaire (nom et adresse)",
        max_length=300,
        required=False,
    )
    commune = forms.CharField(
        label="Commune (code INSEE)",
        required=False,
        max_length=5,
        help_text=COMMUNE_HELP,
    )
    start_end = (("start_time", "end_time"),)

    def __init__(self, *args, action, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(
            organisation_id=action.organisation_id, active=True, departement=action.departement
        )
        offer_directory(self, user, "partner", keep=[self.initial.get("partner")])

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < clock.today() and date != self.initial.get("date"):
            raise forms.ValidationError("Une nouvelle séance ne peut pas être dans le passé.")
        return date

    def clean_commune(self) -> Commune | None:
        return commune_of_code(self.cleaned_data["commune"])


class PersonSearchForm(Form):
    q = forms.CharField(label="Nom et prénom de la personne", max_length=100)


class RegisterForm(Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    relation = forms.ChoiceField(label="Qualité", choices=Registration.Relation.choices)


class NewParticipantForm(Form):
    """Une personne sans fiche (aidant, proche) : l'identité minimale pour l'inscrire."""

    last_name = forms.CharField(label="Nom", max_length=100)
    first_names = forms.CharField(label="Prénom", max_length=150)
    sex = forms.ChoiceField(label="Sexe", choices=Sexe.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(label="Date de naissance", widget=DateInput())
    phone = PhoneField()
    relation = forms.ChoiceField(label="Qualité", choices=Registration.Relation.choices)

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value >= clock.today():
            raise forms.ValidationError("La date de naissance doit être passée.")
        return value


class QuestionnaireForm(Form):
    title = forms.CharField(label="Intitulé", max_length=200)
    moment = forms.ChoiceField(label="Moment", choices=Questionnaire.Moment.choices)
    months_after = forms.IntegerField(
        label="Délai en mois (questionnaire d'impact)", min_value=0, max_value=24, initial=3
    )
    action_type = forms.ChoiceField(
        label="Type d'action",
        choices=[("", "Tous les types"), *TypeCollectif.choices],
        required=False,
    )
    programme = forms.ChoiceField(
        label="Programme", choices=[("", "Tous les programmes"), *Programme.choices], required=False
    )


class QuestionForm(Form):
    text = forms.CharField(label="Question", max_length=300)
    answer_type = forms.ChoiceField(label="Type de réponse", choices=Question.AnswerType.choices)
    scale_max = forms.IntegerField(
        label="Note maximale (échelle)", min_value=2, max_value=10, initial=5
    )
    choices = forms.CharField(
        label="Réponses proposées (une par ligne ; « + » devant une réponse positive)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required = forms.BooleanField(label="Réponse obligatoire", required=False)

    def service_data(self):
        data = dict(self.cleaned_data)
        lines = [line.strip() for line in data.pop("choices").splitlines() if line.strip()]
        data["choices"] = [line.lstrip("+").strip() for line in lines]
        data["positive_choices"] = [i for i, line in enumerate(lines) if line.startswith("+")]
        return data


def answers_form_fields(questionnaire, options_of):
    """Les champs d'un questionnaire à remplir (sans JavaScript : boutons radio, zone de texte)."""
    fields = []
    for question in questionnaire.questions.all():
        name = f"q{question.pk}"
        if question.answer_type == rules.TEXT:
            field = forms.CharField(
                label=question.text,
                required=False,
                max_length=rules.TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        else:
            field = forms.ChoiceField(
                label=question.text,
                required=False,
                choices=[(str(v), label) for v, label in options_of(question)],
                widget=forms.RadioSelect,
            )
        fields.append((name, field))
    return fields


class AnswersForm(Form):
    """Réponses brutes ; la validation par type se fait dans le service (mêmes règles partout)."""

    def __init__(self, *args, questionnaire, options_of, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in answers_form_fields(questionnaire, options_of):
            self.fields[name] = field
        self.questionnaire = questionnaire

    def raw(self):
        return {name: self.data.get(name, "") for name in self.fields}


class FromDetectionForm(Form):
    """Inviter les personnes d'un ciblage ou d'une campagne (module Détection)."""

    ciblage = forms.ChoiceField(label="Ciblage", required=False)
    campagne = forms.ChoiceField(label="Campagne d'offres de service", required=False)

    def __init__(self, *args, runs=(), campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ciblage"].choices = [("", "— aucun —")] + [
            (str(r.pk), f"Ciblage n°{r.pk} — extraction du {r.extraction_date:%d/%m/%Y}")
            for r in runs
        ]
        self.fields["campagne"].choices = [("", "— aucune —")] + [
            (str(c.pk), f"{c.name} — envoi du {c.sent_on:%d/%m/%Y}") for c in campaigns
        ]


class SendInvitationsForm(Form):
    canal = forms.ChoiceField(
        label="Envoyer les invitations par",
        choices=[("EMAIL", "Courriel"), ("SMS", "SMS")],
    )
