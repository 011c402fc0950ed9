"""Formulaires de l'administration : organisme, lieux d'accueil, secteurs, agents, journal,
nouvel organisme (opérateur de la plateforme)."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q

from parcours.core import audit, services
from parcours.core.forms import DateInput, Form
from parcours.core.models import AuditEntry, Departement, Organisation, Region, Site, User
from parcours.core.nomenclatures import Fonction
from parcours.rules import params


def departement_choices(organisation):
    return [(d.code, str(d)) for d in organisation.departements.all()]


class OrganisationForm(Form):
    name = forms.CharField(label="Nom", max_length=200)
    departements = forms.ModelMultipleChoiceField(
        label="Départements couverts",
        queryset=Departement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_departements = forms.CharField(
        label="Autres départements (codes)",
        required=False,
        max_length=200,
        help_text="Hors de la région : codes séparés par des espaces, par exemple « 38 73 ».",
    )
    home_visit_target = forms.IntegerField(
        label="Objectif annuel de visites à domicile par AS à temps plein",
        min_value=0,
        max_value=2000,
        help_text="Chaque AS a cet objectif au prorata de son ETP.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        choices = Departement.objects.all()
        if organisation.region_id:
            choices = choices.filter(
                Q(region_id=organisation.region_id) | Q(organisation=organisation)
            ).distinct()
            self.fields[
                "departements"
            ].help_text = (
                f"Les départements de la région {organisation.region} et ceux déjà couverts."
            )
        self.fields["departements"].queryset = choices.order_by("code")
        self.fields["departements"].widget.inline = True

    def departement_codes(self):
        return [d.code for d in self.cleaned_data["departements"]] + services.parse_insee_codes(
            self.cleaned_data["other_departements"]
        )


class SiteForm(Form):
    name = forms.CharField(label="Nom du lieu", max_length=200)
    kind = forms.ChoiceField(
        label="Type de lieu", choices=Site.Kind.choices, widget=forms.RadioSelect
    )
    departement = forms.ChoiceField(label="Département")
    commune = forms.CharField(
        label="Commune (code INSEE)",
        required=False,
        max_length=10,
        help_text="5 caractères, par exemple 01053 pour Bourg-en-Bresse.",
    )
    address = forms.CharField(label="Adresse", required=False, max_length=300)
    partner = forms.CharField(
        label="Partenaire hôte",
        required=False,
        max_length=200,
        help_text="Pour une permanence chez un partenaire : le lieu qui accueille (mairie, "
        "maison France services…).",
    )
    active = forms.BooleanField(
        label="Lieu ouvert",
        required=False,
        help_text="Décochez pour un lieu fermé : il reste dans l'historique.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = departement_choices(organisation)

    @staticmethod
    def initial_for(site):
        if site is None:
            return {"active": True}
        return {
            "name": site.name,
            "kind": site.kind,
            "departement": site.departement_id,
            "commune": site.commune_id or "",
            "address": site.address,
            "partner": site.partner,
            "active": site.active,
        }


class SectorForm(Form):
    name = forms.CharField(label="Nom du secteur", max_length=200)
    departement = forms.ChoiceField(label="Département")
    social_worker = forms.ModelChoiceField(
        label="AS du secteur",
        queryset=User.objects.none(),
        required=False,
        empty_label="Aucune pour l'instant",
    )
    communes = forms.CharField(
        label="Communes (codes INSEE)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Séparés par des espaces, des virgules ou des retours à la ligne, par exemple "
        "« 01053 01004 ». Toutes dans le département du secteur.",
    )

    def __init__(self, *args, organisation, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = departement_choices(organisation)
        self.fields["social_worker"].queryset = workers
        self.fields["social_worker"].label_from_instance = agent_label

    @staticmethod
    def initial_for(sector):
        if sector is None:
            return {}
        return {
            "name": sector.name,
            "departement": sector.departement_id,
            "social_worker": sector.social_worker_id,
            "communes": " ".join(sector.communes.order_by("code").values_list("code", flat=True)),
        }

    def service_data(self):
        data = self.cleaned_data
        return {
            "name": data["name"],
            "departement": data["departement"],
            "social_worker": data["social_worker"],
            "communes": services.parse_insee_codes(data["communes"]),
        }


def agent_label(user):
    return f"{user} ({user.username})"


class StaffForm(Form):
    username = forms.CharField(
        label="Identifiant de connexion",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse électronique", required=False)
    function = forms.ChoiceField(
        label="Fonction",
        required=False,
        choices=[
            ("", "Aucune (administration ou protection des données seulement)"),
            *Fonction.choices,
        ],
    )
    fte = forms.DecimalField(
        label="ETP (temps de travail)",
        localize=True,
        decimal_places=2,
        help_text="Entre 0,1 et 1 : 0,8 pour un temps partiel à 80 %.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    site = forms.ModelChoiceField(
        label="Lieu de rattachement",
        queryset=Site.objects.none(),
        required=False,
        empty_label="Aucun",
    )
    departements = forms.ModelMultipleChoiceField(
        label="Départements d'intervention",
        queryset=Departement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    competences = forms.CharField(
        label="Compétences",
        required=False,
        max_length=300,
        help_text="Langues parlées, spécialités…",
    )
    is_org_admin = forms.BooleanField(
        label="Administrateur de l'organisme",
        required=False,
        help_text="Gère les lieux, les secteurs et les agents, et lit le journal d'audit. "
        "Second facteur obligatoire.",
    )
    is_dpo = forms.BooleanField(
        label="Délégué·e à la protection des données (DPO)",
        required=False,
        help_text="Lit le registre des traitements et les durées de conservation, "
        "prépare les exports d'accès des personnes.",
    )
    password = forms.CharField(
        label="Mot de passe initial",
        strip=False,
        help_text="12 caractères au moins ; à transmettre à l'agent par un canal sûr.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, organisation, sites, editing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["departements"].queryset = organisation.departements.all()
        self.fields["departements"].widget.inline = True
        if editing:
            self.fields["password"].required = False
            self.fields["password"].label = "Nouveau mot de passe"
            self.fields["password"].help_text = "Laisser vide pour ne pas le changer."

    @staticmethod
    def initial_for(user):
        if user is None:
            return {"fte": 1}
        return {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "function": user.function,
            "fte": user.fte,
            "site": user.site_id,
            "departements": list(user.departements.values_list("code", flat=True)),
            "competences": user.competences,
            "is_org_admin": user.is_org_admin,
            "is_dpo": user.is_dpo,
        }

    def service_data(self):
        data = dict(self.cleaned_data)
        data["departements"] = [d.code for d in data["departements"]]
        if not data["password"]:
            data.pop("password")
        return data


class StaffFilterForm(Form):
    fonction = forms.ChoiceField(
        label="Fonction", required=False, choices=[("", "Toutes"), *Fonction.choices]
    )
    departement = forms.ChoiceField(label="Département d'intervention", required=False)
    etat = forms.ChoiceField(
        label="Comptes",
        required=False,
        choices=[("actifs", "Actifs"), ("desactives", "Désactivés"), ("tous", "Tous")],
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", "Tous"), *departement_choices(organisation)]


DATE_RANGE_VALIDATORS = [
    MinValueValidator(params.DATE_MIN, f"Date antérieure au 01/01/{params.YEAR_MIN}."),
    MaxValueValidator(params.DATE_MAX, f"Date postérieure au 31/12/{params.YEAR_MAX}."),
]


class AuditFilterForm(Form):
    actor = forms.ModelChoiceField(
        label="Agent", queryset=User.objects.none(), required=False, empty_label="Tous"
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Toutes"), *AuditEntry.Action.choices]
    )
    object_type = forms.ChoiceField(label="Objet", required=False)
    person_id = forms.IntegerField(
        label="Personne (identifiant)",
        required=False,
        min_value=1,
        max_value=params.ID_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    start = forms.DateField(
        label="Du", required=False, widget=DateInput(), validators=DATE_RANGE_VALIDATORS
    )
    end = forms.DateField(
        label="Au (inclus)", required=False, widget=DateInput(), validators=DATE_RANGE_VALIDATORS
    )
    start_end = (("start", "end"),)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = staff
        self.fields["actor"].label_from_instance = agent_label
        self.fields["object_type"].choices = [
            ("", "Tous"),
            *sorted(audit.object_type_labels().items(), key=lambda item: item[1]),
        ]


class NewOrganisationForm(Form):
    code = forms.SlugField(
        label="Code",
        max_length=40,
        help_text="Court, sans espace ni accent, par exemple « carsat-ra ». Ne change plus.",
    )
    name = forms.CharField(label="Nom", max_length=200)
    kind = forms.ChoiceField(label="Nature", choices=Organisation.Kind.choices)
    region = forms.ModelChoiceField(
        label="Région", queryset=Region.objects.all(), required=False, empty_label="Aucune"
    )
    departements = forms.CharField(
        label="Départements couverts (codes)",
        required=False,
        max_length=300,
        help_text="Séparés par des espaces ; vide : tous ceux de la région.",
    )
    home_visit_target = forms.IntegerField(
        label="Objectif annuel de visites à domicile par AS à temps plein",
        min_value=0,
        max_value=2000,
        initial=300,
    )
    admin_username = forms.CharField(label="Identifiant de connexion", required=False)
    admin_first_name = forms.CharField(label="Prénom", required=False, max_length=150)
    admin_last_name = forms.CharField(label="Nom", required=False, max_length=150)
    admin_email = forms.EmailField(label="Adresse électronique", required=False)
    admin_password = forms.CharField(
        label="Mot de passe initial",
        required=False,
        strip=False,
        help_text="12 caractères au moins.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    ADMIN_FIELDS = ("username", "first_name", "last_name", "email", "password")

    def groups(self):
        own = [self[name] for name in self.fields if not name.startswith("admin_")]
        admin = [self[f"admin_{name}"] for name in self.ADMIN_FIELDS]
        return [("L'organisme", own), ("Son premier administrateur (facultatif)", admin)]

    def service_data(self):
        data = self.cleaned_data
        first_admin = {name: data[f"admin_{name}"] for name in self.ADMIN_FIELDS}
        return {
            "code": data["code"],
            "name": data["name"],
            "kind": data["kind"],
            "region": data["region"],
            "departements": services.parse_insee_codes(data["departements"]),
            "home_visit_target": data["home_visit_target"],
            "first_admin": first_admin if any(first_admin.values()) else None,
        }
