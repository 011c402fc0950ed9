"""Formulaires de la détection : demandes et rendez-vous, ciblages, signalements, accueil,
campagnes, plages d'agenda."""

import datetime

from django import forms
from django.utils import timezone

from parcours.core import clock
from parcours.core.forms import DateInput, Form, PhoneField
from parcours.core.models import Site, User
from parcours.core.nomenclatures import Canal, Emetteur, Mode, Programme, Sexe
from parcours.core.queries import social_workers
from parcours.core.uploads import LimitedFileField
from parcours.groups.models import GroupAction
from parcours.outreach.models import (
    AppointmentRequest,
    Campaign,
    FrontLineContact,
    Permanence,
    Referral,
)
from parcours.partners.forms import offer_directory, partner_field
from parcours.rules import events_extract, sick_leave_extract, wording
from parcours.rules import targeting as targeting_rules

APPOINTMENT_MODES = [Mode.RECEPTION_RDV, Mode.PERMANENCE, Mode.VAD, Mode.TELEPHONE, Mode.VISIO]


class RequestForm(Form):
    received_on = forms.DateField(label="Date de la demande", widget=DateInput())
    channel = forms.ChoiceField(
        label="Canal", choices=[("", "— Choisir —"), *Canal.choices], required=False
    )
    reason = forms.CharField(label="Motif", max_length=300, required=False)
    assigned_to = forms.ModelChoiceField(label="AS destinataire", queryset=User.objects.none())

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = social_workers(
            person.organisation_id, person.departement_id
        )
        self.initial.setdefault("received_on", clock.today())


class AppointmentForm(Form):
    day = forms.DateField(label="Jour", widget=DateInput())
    time = forms.TimeField(
        label="Heure", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=10, max_value=240, initial=45
    )
    mode = forms.ChoiceField(label="Mode", choices=[(m.value, m.label) for m in APPOINTMENT_MODES])
    staff = forms.ModelChoiceField(label="Avec", queryset=User.objects.none())
    site = forms.ModelChoiceField(label="Lieu", queryset=Site.objects.none(), required=False)
    request = forms.ModelChoiceField(
        label="En réponse à la demande", queryset=AppointmentRequest.objects.none(), required=False
    )

    def __init__(self, *args, person, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = social_workers(
            person.organisation_id, person.departement_id
        )
        self.fields["site"].queryset = Site.objects.filter(
            organisation_id=person.organisation_id,
            departement_id=person.departement_id,
            active=True,
        )
        self.fields["request"].queryset = requests
        self.fields["request"].label_from_instance = lambda r: (
            f"du {r.received_on:%d/%m/%Y}{' — ' + r.reason if r.reason else ''}"
        )
        self.initial.setdefault("day", clock.today() + datetime.timedelta(days=1))
        pending = requests.first()
        if pending is not None:
            self.initial.setdefault("request", pending.pk)
            self.initial.setdefault("staff", pending.assigned_to_id)

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("time"):
            data["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(data["day"], data["time"])
            )
            if data["starts_at"] < clock.now():
                self.add_error("day", "Un rendez-vous se fixe dans le futur.")
        return data


def _rule_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Les règles du catalogue groupées par genre de fichier (liste déroulante à groupes)."""
    return [
        (label, [(spec.code, spec.label) for spec in targeting_rules.rules_for_source(source)])
        for source, label in targeting_rules.SOURCES.items()
    ]


FILE_HELP = {
    "extrait_arrets": ";".join(sick_leave_extract.COLUMNS),
    "evenements": ";".join(events_extract.COLUMNS),
    "retraites": "id;annee_naissance;commune_insee;reversion;exonere_csg et les colonnes "
    "d'identité nir;nom;prenom;sexe (adresse;code_postal;telephone;email facultatives)",
}


class ExtractUploadForm(Form):
    regle = forms.ChoiceField(
        label="Règle et fichier",
        help_text="Le genre de fichier dépend de la règle : extrait des arrêts de travail, "
        "fichier d'événements ou fichier des retraités de l'observatoire.",
    )
    fichier = LimitedFileField(
        label="Fichier (CSV ; Parquet accepté pour le fichier des retraités)",
        help_text="UTF-8, séparateur « ; », en-tête de l'extrait des arrêts : "
        + FILE_HELP["extrait_arrets"]
        + " ; du fichier d'événements : "
        + FILE_HELP["evenements"]
        + " ; du fichier des retraités : "
        + FILE_HELP["retraites"],
    )
    date_extraction = forms.DateField(label="Date d'extraction", widget=DateInput())
    annee = forms.IntegerField(
        label="Année du fichier des retraités (pour le score)",
        help_text="Vide : l'année de la date indiquée ci-dessus.",
        min_value=1900,
        max_value=2200,
        required=False,
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("regle"):
            # envoi sans règle (anciens clients, banc d'essai) : l'extrait des arrêts de travail
            data = data.copy()
            data["regle"] = targeting_rules.ARRET_LONG
        super().__init__(data, *args, **kwargs)
        self.fields["regle"].choices = _rule_choices()
        self.initial.setdefault("regle", targeting_rules.ARRET_LONG)
        self.initial.setdefault("date_extraction", clock.today())

    def clean_date_extraction(self):
        value = self.cleaned_data["date_extraction"]
        if value > clock.today():
            raise forms.ValidationError("La date d'extraction ne peut pas être dans le futur.")
        return value

    def clean(self):
        data = super().clean()
        code = data.get("regle")
        if code and targeting_rules.RULES[code].source == "retraites":
            if data.get("annee") is None and data.get("date_extraction"):
                data["annee"] = data["date_extraction"].year
        else:
            data["annee"] = None
        return data


class RuleForm(Form):
    """Les paramètres d'une règle du catalogue : seuls les champs de ses paramètres restent."""

    duree_min_jours = forms.IntegerField(
        label="Durée d'arrêt (plus de … jours)", min_value=1, max_value=3650
    )
    delai_max_jours = forms.IntegerField(
        label="Événement survenu au plus … jours avant la date d'extraction",
        min_value=1,
        max_value=3650,
    )
    score_min = forms.IntegerField(
        label="Score de fragilité minimum (1 à 11)", min_value=1, max_value=11
    )
    mois_sans_visite = forms.IntegerField(
        label="Sans visite à domicile depuis … mois", min_value=1, max_value=240
    )
    age_min = forms.IntegerField(label="Âge minimum (facultatif)", min_value=0, required=False)
    age_max = forms.IntegerField(label="Âge maximum (facultatif)", min_value=0, required=False)
    zones_blanches = forms.BooleanField(
        label="Seulement les communes en zone blanche de l'observatoire", required=False
    )
    delai_offre_mois = forms.IntegerField(
        label="Exclure les personnes ayant reçu une offre de service depuis … mois "
        "(0 : pas d'exclusion)",
        min_value=0,
        max_value=120,
    )
    departements = forms.MultipleChoiceField(
        label="Départements de résidence (aucun coché : tous)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, departements, code=targeting_rules.ARRET_LONG, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departements"].choices = [(d.code, str(d)) for d in departements]
        keep = set(targeting_rules.RULES[code].defaults)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if code == targeting_rules.PLUS_90_ANS:
            # les bornes (60 à 120 ans) sont celles de la règle : rules.targeting.clean_parameters
            age = self.fields["age_min"]
            age.label, age.required = "Âge minimum à la date d'extraction (60 à 120 ans)", True
        elif code == targeting_rules.FRAGILITE:
            self.fields["age_min"].label = "Âge minimum dans l'année du fichier (facultatif)"


class PersonPickerMixin:
    """Choisir la personne dans le formulaire même : recherche (POST, jamais dans l'URL), puis
    boutons radio parmi les résultats visibles de l'agent."""

    allow_anonymous = False

    def setup_person(self, *, candidates, selected=None):
        choices = [(str(p.pk), _person_label(p)) for p in candidates]
        if selected is not None and str(selected.pk) not in {c for c, _ in choices}:
            choices.insert(0, (str(selected.pk), _person_label(selected)))
        if self.allow_anonymous:
            choices.append(("", "Personne anonyme ou non identifiée"))
        self.fields["person"].choices = choices
        self._candidates = {str(p.pk): p for p in [*candidates, *([selected] if selected else [])]}
        if selected is not None:
            self.initial.setdefault("person", str(selected.pk))

    def clean_person(self):
        value = self.cleaned_data.get("person") or ""
        if not value:
            if self.allow_anonymous:
                return None
            raise forms.ValidationError("Cherchez puis choisissez la personne concernée.")
        person = self._candidates.get(value)
        if person is None:
            raise forms.ValidationError("Cherchez puis choisissez la personne concernée.")
        return person


def _person_label(person) -> str:
    born = wording.born(person.sex)
    return f"{person} — {born} le {person.birth_date:%d/%m/%Y} ({person.departement_id})"


class ReferralForm(PersonPickerMixin, Form):
    q = forms.CharField(
        label="Rechercher la personne (nom, prénom, date de naissance, NIR)",
        required=False,
        max_length=100,
    )
    person = forms.ChoiceField(label="Personne", widget=forms.RadioSelect, required=False)
    emitter = forms.ChoiceField(label="Émetteur", choices=[("", "— Choisir —"), *Emetteur.choices])
    emitter_partner = partner_field("Partenaire qui signale (annuaire)")
    emitter_name = forms.CharField(
        label="Ou nom du service ou de la personne qui signale (hors annuaire)",
        max_length=200,
        required=False,
    )
    emitter_address = forms.CharField(
        label="Adresse pour la réponse (facultatif)", max_length=300, required=False
    )
    received_on = forms.DateField(label="Date de réception", widget=DateInput())
    reason = forms.CharField(label="Motif du signalement", max_length=500, widget=forms.Textarea)
    priority = forms.ChoiceField(label="Priorité", choices=Referral.Priority.choices)
    programme = forms.ChoiceField(
        label="Programme visé", choices=[("", "— Choisir —"), *Programme.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", clock.today())
        offer_directory(self, user, "emitter_partner")
        self.fields["reason"].widget.attrs["rows"] = 3


class AssignForm(Form):
    social_worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(label="AS", queryset=None)

    def __init__(self, *args, social_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["social_worker"].queryset = social_workers


class FrontLineForm(PersonPickerMixin, Form):
    allow_anonymous = True

    channel = forms.ChoiceField(
        label="Canal",
        choices=FrontLineContact.Channel.choices,
        widget=forms.RadioSelect,
        initial=FrontLineContact.Channel.TELEPHONE,
    )
    offer_reference = forms.CharField(
        label="Référence d'un courrier d'offre de service (si la personne l'a)",
        required=False,
        max_length=20,
    )
    q = forms.CharField(
        label="Rechercher la personne (nom, prénom, date de naissance, téléphone)",
        required=False,
        max_length=100,
    )
    person = forms.ChoiceField(label="Personne", widget=forms.RadioSelect, required=False)
    new_last_name = forms.CharField(label="Nom", max_length=100, required=False)
    new_first_names = forms.CharField(label="Prénoms", max_length=150, required=False)
    new_birth_date = forms.DateField(label="Date de naissance", widget=DateInput(), required=False)
    new_sex = forms.ChoiceField(
        label="Sexe", choices=[("", "— Choisir —"), *Sexe.choices], required=False
    )
    new_phone = PhoneField()
    reason = forms.CharField(label="Motif de l'appel ou de la visite", max_length=300)
    answer = forms.ChoiceField(
        label="Réponse apportée", choices=FrontLineContact.Answer.choices, widget=forms.RadioSelect
    )
    oriented_to = partner_field("Partenaire vers qui orienter (si orientation)")
    partner = forms.CharField(
        label="Ou partenaire hors annuaire (si orientation)", max_length=200, required=False
    )
    recipient: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="AS destinataire (si message)", queryset=None, required=False
    )
    message = forms.CharField(label="Message pour l'AS", max_length=500, required=False)
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=1, max_value=240, initial=5
    )
    departement = forms.ChoiceField(label="Département de l'appel")

    def __init__(self, *args, social_workers, departements, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = social_workers
        offer_directory(self, user, "oriented_to")
        self.fields["departement"].choices = [(d, d) for d in departements]

    def clean(self):
        data = super().clean()
        new = [data.get(f) for f in ("new_last_name", "new_first_names", "new_birth_date")]
        if any(new) or data.get("new_sex"):
            if data.get("person"):
                self.add_error(
                    "new_last_name",
                    "Choisissez une personne trouvée ou créez-en une, pas les deux.",
                )
            for name in ("new_last_name", "new_first_names", "new_birth_date", "new_sex"):
                if not data.get(name):
                    self.add_error(name, "Obligatoire pour créer la fiche.")
        return data

    def new_person(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("new_last_name"):
            return None
        return {
            "last_name": data["new_last_name"],
            "first_names": data["new_first_names"],
            "birth_date": data["new_birth_date"],
            "sex": data["new_sex"],
            "phone": data["new_phone"],
            "departement_id": data["departement"],
        }


class CampaignForm(Form):
    name = forms.CharField(label="Nom de la campagne", max_length=200)
    channel = forms.ChoiceField(label="Canal", choices=Canal.choices)
    proposal = forms.ChoiceField(
        label="Proposition", choices=Campaign.Proposal.choices, widget=forms.RadioSelect
    )
    group_action: forms.ModelChoiceField[GroupAction] = forms.ModelChoiceField(
        label="Réunion d'information collective proposée",
        help_text="Seulement pour la proposition « une place à une réunion d'information » : "
        "chaque personne reçoit son lien personnel d'inscription.",
        queryset=None,
        required=False,
        empty_label="— choisir une réunion —",
    )
    programme = forms.ChoiceField(label="Programme", choices=Programme.choices)
    phone = PhoneField(label="Numéro à appeler indiqué dans le courrier", short=True)
    q = forms.CharField(label="Ajouter des personnes (recherche)", required=False, max_length=100)
    people = forms.MultipleChoiceField(
        label="Personnes choisies", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, run=None, candidates=(), actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        self.fields["group_action"].queryset = actions
        self.fields["group_action"].label_from_instance = lambda a: (
            f"{a.title} ({a.departement_id})"
        )
        self._candidates = {str(p.pk): p for p in candidates}
        self.fields["people"].choices = [(k, _person_label(p)) for k, p in self._candidates.items()]
        if run is not None:
            del self.fields["q"]
            del self.fields["people"]
            self.initial.setdefault("programme", run.programme)
            self.initial.setdefault("name", f"Offre de service — ciblage n°{run.pk}")
        self.initial.setdefault("proposal", Campaign.Proposal.RENDEZ_VOUS)
        self.initial.setdefault("channel", Canal.COURRIER)

    def clean(self):
        data = super().clean()
        if data.get("proposal") == Campaign.Proposal.REUNION and not data.get("group_action"):
            self.add_error("group_action", "Choisissez la réunion d'information proposée.")
        return data

    def clean_people(self):
        chosen = [self._candidates[v] for v in self.cleaned_data.get("people", [])]
        if self.run is None and not chosen:
            raise forms.ValidationError("Choisissez au moins une personne.")
        return chosen


class PermanenceForm(Form):
    staff: forms.ModelChoiceField[User] = forms.ModelChoiceField(label="AS", queryset=None)
    weekday = forms.TypedChoiceField(label="Jour", choices=Permanence.Weekday.choices, coerce=int)
    start = forms.TimeField(
        label="Début", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label="Fin", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    slot_minutes = forms.IntegerField(
        label="Durée d'un créneau (minutes)", min_value=10, max_value=240, initial=45
    )
    start_end = (("start", "end"),)
    mode = forms.ChoiceField(
        label="Mode",
        choices=[(m, Mode(m).label) for m in ("RECEPTION_RDV", "PERMANENCE", "TELEPHONE", "VISIO")],
    )
    site: forms.ModelChoiceField[Site] = forms.ModelChoiceField(
        label="Lieu", queryset=None, required=False
    )

    def __init__(self, *args, staff, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["site"].queryset = sites
