"""Administration de l'organisme : organisme, lieux d'accueil, secteurs, agents, journal d'audit.

Réservé à l'administrateur de l'organisme (``policies.can_administer``) : pour tout autre agent,
chaque page répond 404, comme un objet hors périmètre ; les objets se lisent par les politiques
(``visible_*``, ``get_*_or_404``) et s'écrivent par ``core.services``. Le journal d'audit se lit
et se filtre seulement. La liste et la création des organismes sont l'affaire de l'opérateur de
la plateforme (superutilisateur Django).
"""

import datetime
import functools
import json
from zoneinfo import ZoneInfo

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from parcours.core import policies, services
from parcours.core.exceptions import BusinessError
from parcours.core.forms import DateInput, Form, apply_business_errors
from parcours.core.models import (
    AuditEntry,
    Commune,
    Departement,
    Organisation,
    Region,
    Site,
    User,
)
from parcours.core.nomenclatures import Fonction
from parcours.core.pagination import paginate

PARIS = ZoneInfo("Europe/Paris")
AUDIT_PAGE_SIZE = 50

#: Entrées du journal liées à une personne : on montre quels champs ont changé, pas les valeurs
#: (l'administrateur ne voit pas le contenu des dossiers ; cf. ``core.policies``).
MASK_PERSON_VALUES = True


# --- accès -------------------------------------------------------------------------------------


def admin_view(view):
    """Connexion exigée, puis administrateur de l'organisme ou 404 ; passe l'organisme."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policies.can_administer(request.user):
            raise Http404("Introuvable.")
        return view(request, request.user.organisation, *args, **kwargs)

    return wrapper


def operator_view(view):
    """Connexion exigée, puis opérateur de la plateforme (superutilisateur) ou 404."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise Http404("Introuvable.")
        return view(request, *args, **kwargs)

    return wrapper


def _render(request, template, **context):
    return render(request, f"administration/{template}", {"nav": "administration", **context})


def _crumbs(*names):
    """Le fil d'Ariane : « Administration » puis les listes nommées (libellé, nom d'URL)."""
    return [("Administration", reverse("administration"))] + [
        (label, reverse(name)) for label, name in names
    ]


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count in (0, 1) else plural}"


def _form_page(request, *, form, title, back, crumbs, template="formulaire.html", **context):
    return _render(request, template, form=form, title=title, back=back, crumbs=crumbs, **context)


# --- formulaires -------------------------------------------------------------------------------


def _departement_choices(organisation):
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
        self.fields["departement"].choices = _departement_choices(organisation)

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
        self.fields["departement"].choices = _departement_choices(organisation)
        self.fields["social_worker"].queryset = workers
        self.fields["social_worker"].label_from_instance = _agent_label

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


def _agent_label(user):
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
        choices=[("", "Aucune (compte d'administration seulement)"), *Fonction.choices],
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
        self.fields["departement"].choices = [("", "Tous"), *_departement_choices(organisation)]


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
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    start = forms.DateField(label="Du", required=False, widget=DateInput())
    end = forms.DateField(label="Au (inclus)", required=False, widget=DateInput())

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = staff
        self.fields["actor"].label_from_instance = _agent_label
        self.fields["object_type"].choices = [
            ("", "Tous"),
            *sorted(_object_types().items(), key=lambda item: item[1]),
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "La date de fin précède la date de début.")
        return data


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


# --- accueil et organisme ----------------------------------------------------------------------


@login_required
@require_safe
def index(request):
    if not policies.can_administer(request.user):
        if request.user.is_superuser:
            return redirect("administration-organismes")
        raise Http404("Introuvable.")
    organisation = request.user.organisation
    sites = policies.visible_sites(request.user)
    sectors = policies.visible_sectors(request.user)
    staff = policies.visible_staff(request.user).filter(is_active=True)
    covered = list(organisation.departements.values_list("code", flat=True))
    by_function = {
        row["function"]: row
        for row in staff.values("function").annotate(count=Count("id"), fte=Sum("fte"))
    }
    counts = {
        "sites": sites.count(),
        "open_sites": sites.filter(active=True).count(),
        "sectors": sectors.count(),
        "sectors_without_worker": sectors.filter(social_worker__isnull=True).count(),
        "communes_without_sector": Commune.objects.filter(departement_id__in=covered)
        .exclude(sector__organisation=organisation)
        .count(),
        "staff": staff.count(),
    }
    tiles = [
        (
            "Lieux d'accueil",
            "administration-lieux",
            f"{_plural(counts['sites'], 'lieu', 'lieux')}, dont {counts['open_sites']} "
            f"ouvert{'s' if counts['open_sites'] > 1 else ''}",
        ),
        (
            "Secteurs",
            "administration-secteurs",
            f"{_plural(counts['sectors'], 'secteur', 'secteurs')} : des communes confiées "
            "chacune à une AS",
        ),
        (
            "Agents",
            "administration-agents",
            f"{_plural(counts['staff'], 'compte actif', 'comptes actifs')} : fonction, ETP, "
            "lieu, droits",
        ),
        ("Journal d'audit", "administration-journal", "Qui a fait quoi, quand : lecture seule"),
    ]
    if request.user.is_superuser:
        tiles.append(("Organismes", "administration-organismes", "Opérateur : liste et création"))
    return _render(
        request,
        "index.html",
        tiles=[{"title": t, "url": reverse(name), "text": text} for t, name, text in tiles],
        counts=counts,
        organisation=organisation,
        departements=organisation.departements.all(),
        functions=[
            {"label": label, "count": by_function[code]["count"], "fte": by_function[code]["fte"]}
            for code, label in [*Fonction.choices, ("", "Administration seulement")]
            if code in by_function
        ],
    )


@admin_view
def organisation_edit(request, organisation):
    form = OrganisationForm(
        request.POST or None,
        organisation=organisation,
        initial={
            "name": organisation.name,
            "home_visit_target": organisation.home_visit_target,
            "departements": list(organisation.departements.values_list("code", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                departements=form.departement_codes(),
                home_visit_target=form.cleaned_data["home_visit_target"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'organisme est enregistré.")
            return redirect("administration")
    return _form_page(
        request,
        form=form,
        title="Organisme",
        back=reverse("administration"),
        crumbs=_crumbs(),
    )


# --- lieux d'accueil ---------------------------------------------------------------------------


@admin_view
@require_safe
def sites(request, organisation):
    return _render(
        request,
        "lieux.html",
        title="Lieux d'accueil",
        crumbs=_crumbs(),
        sites=policies.visible_sites(request.user)
        .select_related("departement", "commune")
        .annotate(staff_count=Count("user", filter=Q(user__is_active=True))),
    )


@admin_view
def site_edit(request, organisation, pk=None):
    site = policies.get_site_or_404(request.user, pk) if pk is not None else None
    form = SiteForm(
        request.POST or None, organisation=organisation, initial=SiteForm.initial_for(site)
    )
    if request.method == "POST" and form.is_valid():
        try:
            if site is None:
                services.create_site(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            else:
                services.update_site(actor=request.user, site=site, **form.cleaned_data)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le lieu d'accueil est enregistré.")
            return redirect("administration-lieux")
    return _form_page(
        request,
        form=form,
        title=f"Lieu d'accueil : {site.name}" if site else "Nouveau lieu d'accueil",
        back=reverse("administration-lieux"),
        crumbs=_crumbs(("Lieux d'accueil", "administration-lieux")),
    )


# --- secteurs ----------------------------------------------------------------------------------


@admin_view
@require_safe
def sectors(request, organisation):
    return _render(
        request,
        "secteurs.html",
        title="Secteurs",
        crumbs=_crumbs(),
        sectors=policies.visible_sectors(request.user)
        .select_related("departement", "social_worker")
        .annotate(commune_count=Count("communes")),
    )


@admin_view
def sector_edit(request, organisation, pk=None):
    sector = policies.get_sector_or_404(request.user, pk) if pk is not None else None
    workers = policies.visible_staff(request.user).filter(function=Fonction.AS)
    workers = workers.filter(
        Q(is_active=True) | Q(pk=sector.social_worker_id if sector else None)
    ).prefetch_related("departements")
    form = SectorForm(
        request.POST or None,
        organisation=organisation,
        workers=workers,
        initial=SectorForm.initial_for(sector),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if sector is None:
                services.create_sector(
                    actor=request.user, organisation=organisation, **form.service_data()
                )
            else:
                services.update_sector(actor=request.user, sector=sector, **form.service_data())
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le secteur est enregistré.")
            return redirect("administration-secteurs")
    return _form_page(
        request,
        template="secteur.html",
        form=form,
        title=f"Secteur : {sector.name}" if sector else "Nouveau secteur",
        back=reverse("administration-secteurs"),
        crumbs=_crumbs(("Secteurs", "administration-secteurs")),
        communes=sector.communes.order_by("name") if sector else [],
    )


# --- agents ------------------------------------------------------------------------------------


@admin_view
@require_safe
def staff(request, organisation):
    form = StaffFilterForm(request.GET or None, organisation=organisation)
    people = policies.visible_staff(request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("fonction"):
        people = people.filter(function=filters["fonction"])
    if filters.get("departement"):
        people = people.filter(departements__code=filters["departement"])
    state = filters.get("etat") or "actifs"
    if state != "tous":
        people = people.filter(is_active=state == "actifs")
    totals = people.aggregate(count=Count("id"), fte=Sum("fte"))
    return _render(
        request,
        "agents.html",
        title="Agents",
        crumbs=_crumbs(),
        form=form,
        totals=totals,
        staff=people.select_related("site").prefetch_related("departements"),
    )


@admin_view
def staff_edit(request, organisation, pk=None):
    user = policies.get_staff_or_404(request.user, pk) if pk is not None else None
    sites = policies.visible_sites(request.user).filter(
        Q(active=True) | Q(pk=user.site_id if user else None)
    )
    form = StaffForm(
        request.POST or None,
        organisation=organisation,
        sites=sites,
        editing=user is not None,
        initial=StaffForm.initial_for(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if user is None:
                services.create_staff(
                    actor=request.user, organisation=organisation, **form.service_data()
                )
            else:
                services.update_staff(actor=request.user, user=user, **form.service_data())
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'agent est enregistré.")
            return redirect("administration-agents")
    return _form_page(
        request,
        template="agent.html",
        form=form,
        title=f"Agent : {user}" if user else "Nouvel agent",
        back=reverse("administration-agents"),
        crumbs=_crumbs(("Agents", "administration-agents")),
        agent_account=user,
        is_self=user is not None and user.pk == request.user.pk,
    )


@admin_view
def staff_deactivate(request, organisation, pk):
    user = policies.get_staff_or_404(request.user, pk)
    error = None
    if request.method == "POST":
        try:
            services.deactivate_staff(actor=request.user, user=user)
        except BusinessError as refused:
            error = str(refused)
        else:
            messages.success(request, f"Le compte de {user} est désactivé.")
            return redirect("administration-agents")
    return _render(
        request,
        "agent_desactivation.html",
        title=f"Désactiver le compte de {user}",
        crumbs=_crumbs(("Agents", "administration-agents")),
        agent_account=user,
        error=error,
        sectors=policies.visible_sectors(request.user).filter(social_worker=user),
    )


@admin_view
@require_POST
def staff_reactivate(request, organisation, pk):
    user = policies.get_staff_or_404(request.user, pk)
    try:
        services.reactivate_staff(actor=request.user, user=user)
    except BusinessError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Le compte de {user} est réactivé.")
    return redirect("administration-agent", pk=user.pk)


# --- journal d'audit ---------------------------------------------------------------------------

EXTRA_OBJECT_TYPES = {"session": "Session", "totp": "Second facteur"}
EXTRA_FIELD_LABELS = {"id": "identifiant", "mot_de_passe": "mot de passe"}


@functools.cache
def _models() -> dict:
    """Les modèles de Parcours par ``model_name`` (la valeur de ``AuditEntry.object_type``)."""
    return {
        model._meta.model_name: model
        for model in apps.get_models()
        if model.__module__.startswith("parcours.")
    }


@functools.cache
def _object_types() -> dict[str, str]:
    labels = {name: str(model._meta.verbose_name) for name, model in _models().items()}
    labels |= EXTRA_OBJECT_TYPES
    return {name: label[:1].upper() + label[1:] for name, label in labels.items()}


def _field(model, name):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if hasattr(field, "verbose_name") else None


def _value(field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _change_rows(entry) -> list[dict]:
    model = _models().get(entry.object_type)
    masked = MASK_PERSON_VALUES and entry.person_id is not None
    rows = []
    for name, change in (entry.changes or {}).items():
        field = _field(model, name)
        label = str(field.verbose_name) if field else EXTRA_FIELD_LABELS.get(name, name)
        if not isinstance(change, dict):
            change = {"avant": None, "apres": change}
        rows.append(
            {
                "label": label[:1].upper() + label[1:],
                "before": "" if masked else _value(field, change.get("avant")),
                "after": "" if masked else _value(field, change.get("apres")),
            }
        )
    return rows


def _paris_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)


@admin_view
@require_safe
def audit_log(request, organisation):
    form = AuditFilterForm(request.GET or None, staff=policies.visible_staff(request.user))
    entries = policies.visible_audit(request.user)
    filters = {}
    if form.is_bound:
        form.is_valid()  # les filtres valides s'appliquent, les autres sont signalés
        filters = form.cleaned_data
    if filters.get("actor"):
        entries = entries.filter(actor=filters["actor"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("object_type"):
        entries = entries.filter(object_type=filters["object_type"])
    if filters.get("person_id"):
        entries = entries.filter(person_id=filters["person_id"])
    if filters.get("start"):
        entries = entries.filter(at__gte=_paris_midnight(filters["start"]))
    if filters.get("end") and "end" not in form.errors:
        entries = entries.filter(
            at__lt=_paris_midnight(filters["end"] + datetime.timedelta(days=1))
        )
    page, query = paginate(
        request, entries.select_related("actor").order_by("-at", "-id"), AUDIT_PAGE_SIZE
    )
    object_types = _object_types()
    rows = [
        {
            "entry": entry,
            "object_label": object_types.get(entry.object_type, entry.object_type),
            "changes": _change_rows(entry),
            "masked": MASK_PERSON_VALUES and entry.person_id is not None,
        }
        for entry in page
    ]
    return _render(
        request,
        "journal.html",
        title="Journal d'audit",
        crumbs=_crumbs(),
        form=form,
        page=page,
        rows=rows,
        query=query,
    )


# --- organismes (opérateur de la plateforme) ---------------------------------------------------


@operator_view
@require_safe
def organisations(request):
    return render(
        request,
        "administration/organismes.html",
        {
            "nav": "administration",
            "organisations": Organisation.objects.select_related("region")
            .prefetch_related("departements")
            .annotate(
                staff_count=Count("agents", filter=Q(agents__is_active=True), distinct=True),
                site_count=Count("sites", distinct=True),
            )
            .order_by("name"),
        },
    )


@operator_view
def organisation_create(request):
    form = NewOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(actor=request.user, **form.service_data())
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, f"L'organisme {organisation.name} est créé.")
            return redirect("administration-organismes")
    return render(
        request,
        "administration/organisme_nouveau.html",
        {
            "nav": "administration",
            "form": form,
            "title": "Nouvel organisme",
            "crumbs": [("Organismes", reverse("administration-organismes"))],
        },
    )
