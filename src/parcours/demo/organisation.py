"""L'organisme de démonstration : structure (organisme, agents, lieux d'accueil, secteurs).

Rejouable : les agents et les lieux sont repris par leur identifiant et leur nom.
"""

from parcours.core import services as core_services
from parcours.core.models import Commune, Organisation, Sector, Site, User
from parcours.core.nomenclatures import Fonction

NAME = "Carsat Rhône-Alpes (démonstration)"
REGION = "84"
DEPARTEMENTS = ["01", "69"]
HOME_VISIT_TARGET = 300

DEMO_PASSWORD = "parcours-demo-2026"
STAFF = [
    # identifiant, prénom, nom, fonction, départements, ETP, administrateur
    ("as.ain", "Claire", "Morel", Fonction.AS, ["01"], "1.00", False),
    ("as2.ain", "Julien", "Perrin", Fonction.AS, ["01"], "1.00", False),
    ("as.rhone", "Samia", "Benali", Fonction.AS, ["69"], "1.00", False),
    ("as2.rhone", "Thomas", "Girard", Fonction.AS, ["69"], "1.00", False),
    ("as3.rhone", "Nadia", "Lopez", Fonction.AS, ["69"], "0.80", False),
    ("csam.ain", "Léa", "Fournier", Fonction.CSAM, ["01"], "1.00", False),
    ("csam.rhone", "Karim", "Mansouri", Fonction.CSAM, ["69"], "1.00", False),
    ("secretaire.rhone", "Isabelle", "Roux", Fonction.SECRETAIRE, ["69"], "1.00", False),
    ("manager.ain", "Paul", "Chevalier", Fonction.MANAGER, ["01"], "1.00", False),
    ("manager.rhone", "Sophie", "Lambert", Fonction.MANAGER, ["69"], "1.00", False),
    ("pilotage", "Hélène", "Garnier", Fonction.PILOTAGE, ["01", "69"], "1.00", False),
    ("admin", "Marc", "Renaud", "", ["01", "69"], "1.00", True),
]
#: Les départements d'intervention de chaque agent de démonstration.
STAFF_DEPARTEMENTS = {username: deps for username, _, _, _, deps, _, _ in STAFF}
DEMO_LOGINS = [
    ("as.ain, as2.ain, as.rhone, as2.rhone, as3.rhone", "assistant·e de service social"),
    ("csam.ain, csam.rhone, secretaire.rhone", "accueil"),
    ("manager.ain, manager.rhone", "responsable d'équipe"),
    ("pilotage", "pilotage"),
    ("admin", "administrateur (second facteur à enrôler à la première connexion)"),
    ("dpo", "délégué·e à la protection des données (second facteur à enrôler)"),
    ("caf.as.ain, caf.as.rhone", "CAF : assistant·e de service social"),
    ("caf.manager", "CAF : responsable d'équipe"),
    ("caf.accueil", "CAF : accueil"),
]
SITES = [
    (
        "Point d'accueil Bourg-en-Bresse",
        Site.Kind.ACCUEIL_PERMANENT,
        "01",
        "01053",
        "1 place de la Grenouillère",
        "",
    ),
    (
        "Consultation Oyonnax",
        Site.Kind.POINT_CONSULTATION,
        "01",
        "01283",
        "13 rue Brillat-Savarin",
        "",
    ),
    (
        "Permanence France Services Belley",
        Site.Kind.PERMANENCE_PARTENAIRE,
        "01",
        "01034",
        "34 Grande Rue",
        "France Services de Belley",
    ),
    (
        "Agence Lyon Part-Dieu",
        Site.Kind.ACCUEIL_PERMANENT,
        "69",
        "69123",
        "35 rue Maurice Flandin",
        "",
    ),
    (
        "Accueil sur rendez-vous Villeurbanne",
        Site.Kind.SUR_RDV,
        "69",
        "69266",
        "3 avenue Henri Barbusse",
        "",
    ),
    (
        "Permanence centre de santé Vénissieux",
        Site.Kind.PERMANENCE_PARTENAIRE,
        "69",
        "69259",
        "8 boulevard Laurent Gérin",
        "Centre de santé municipal",
    ),
]


def organisation(code: str) -> Organisation:
    """L'organisme de démonstration, créé par le service d'administration (journalisé).

    S'il existe déjà (``--reinitialiser``), il est gardé ; nom, départements et objectif de
    visites à domicile sont remis à ceux de la démonstration s'ils ont changé.
    """
    found = Organisation.objects.filter(code=code).first()
    if found is None:
        return core_services.create_organisation(
            actor=None,
            code=code,
            name=NAME,
            kind=Organisation.Kind.CARSAT,
            region=REGION,
            departements=DEPARTEMENTS,
            home_visit_target=HOME_VISIT_TARGET,
        )
    current = sorted(found.departements.values_list("code", flat=True))
    if (found.name, current, found.home_visit_target) != (
        NAME,
        DEPARTEMENTS,
        HOME_VISIT_TARGET,
    ):
        found = core_services.update_organisation(
            actor=None,
            organisation=found,
            name=NAME,
            departements=DEPARTEMENTS,
            home_visit_target=HOME_VISIT_TARGET,
        )
    return found


def staff(organisation: Organisation) -> dict[str, User]:
    """Les 12 agents (mot de passe de démonstration à la création), chacun dans ses départements."""
    staff = {}
    for username, first, last, function, deps, fte, admin in STAFF:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "function": function,
                "organisation": organisation,
                "fte": fte,
                "is_org_admin": admin,
                "email": f"{username}@demo.parcours.invalid",
                "is_active": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        # django-stubs n'admet que des clés entières ; celle d'un département est son code.
        user.departements.set(deps)  # type: ignore[arg-type]
        staff[username] = user
    return staff


def sites(organisation: Organisation) -> dict[str, list[Site]]:
    """Les lieux d'accueil par département ; chaque agent territorial est rattaché au premier."""
    sites: dict[str, list[Site]] = {}
    for name, kind, dep, commune, address, partner in SITES:
        site, _ = Site.objects.update_or_create(
            organisation=organisation,
            name=name,
            defaults={
                "kind": kind,
                "departement_id": dep,
                "commune_id": commune,
                "address": address,
                "partner": partner,
            },
        )
        sites.setdefault(dep, []).append(site)
    for username, dep in (
        ("as.ain", "01"),
        ("as2.ain", "01"),
        ("csam.ain", "01"),
        ("manager.ain", "01"),
        ("as.rhone", "69"),
        ("as2.rhone", "69"),
        ("as3.rhone", "69"),
        ("csam.rhone", "69"),
        ("secretaire.rhone", "69"),
        ("manager.rhone", "69"),
    ):
        User.objects.filter(username=username).update(site=sites[dep][0])
    return sites


def sectors(organisation: Organisation, staff: dict[str, User]) -> None:
    """Les communes de chaque département partagées en secteurs, un par AS."""
    for dep, names in (
        ("01", ["as.ain", "as2.ain"]),
        ("69", ["as.rhone", "as2.rhone", "as3.rhone"]),
    ):
        codes = list(
            Commune.objects.filter(departement_id=dep)
            .order_by("code")
            .values_list("code", flat=True)
        )
        size = len(codes) // len(names) + 1
        for i, username in enumerate(names):
            sector, _ = Sector.objects.update_or_create(
                organisation=organisation,
                name=f"Secteur {dep}-{i + 1}",
                defaults={"departement_id": dep, "social_worker": staff[username]},
            )
            # django-stubs n'admet que des clés entières ; celle d'une commune est son code INSEE.
            sector.communes.set(codes[i * size : (i + 1) * size])  # type: ignore[arg-type]
