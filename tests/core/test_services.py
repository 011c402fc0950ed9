"""Services d'administration : invariants de l'organisme, refus en français, audit dans la même
transaction (avant/après, jamais de mot de passe), journal non modifiable."""

import datetime
import inspect
from decimal import Decimal

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import DatabaseError, connection, transaction

from parcours.core import audit, clock, services
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry, Organisation, Sector, Site, User
from parcours.core.nomenclatures import Fonction
from tests.factories import OrganisationFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "une-phrase-de-passe-solide-2026"


@pytest.fixture
def admin(org):
    return UserFactory(organisation=org, admin=True, departements=["01", "69"])


@pytest.fixture
def worker(org):
    return UserFactory(organisation=org, social_worker=True, departements=["01"])


def authenticate(username, password):
    return ModelBackend().authenticate(None, username=username, password=password)


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def staff_args(**overrides):
    return {
        "username": "ines.haddad",
        "first_name": "Inès",
        "last_name": "Haddad",
        "email": "ines.haddad@example.org",
        "function": Fonction.AS,
        "fte": Decimal("0.8"),
        "site": None,
        "departements": ["01"],
        "is_org_admin": False,
        "competences": "arabe",
    } | overrides


# --- forme des services ------------------------------------------------------------------------

WRITE_SERVICES = [
    "update_organisation",
    "create_organisation",
    "create_site",
    "update_site",
    "create_sector",
    "update_sector",
    "create_staff",
    "update_staff",
    "deactivate_staff",
    "reactivate_staff",
]


@pytest.mark.parametrize("name", WRITE_SERVICES)
def test_services_take_keyword_only_arguments_with_an_actor(name):
    parameters = inspect.signature(getattr(services, name)).parameters
    assert "actor" in parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())


def test_audit_failure_rolls_the_write_back(org, admin, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("journal indisponible")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.create_site(
            actor=admin, organisation=org, name="Lieu", kind="SUR_RDV", departement="01"
        )
    assert not Site.objects.exists()


# --- lieux d'accueil ---------------------------------------------------------------------------


def test_create_site_writes_the_audit_entry(org, admin):
    site = services.create_site(
        actor=admin,
        organisation=org,
        name="Permanence mairie de Belley",
        kind=Site.Kind.PERMANENCE_PARTENAIRE,
        departement="01",
        commune="01034",
        partner="Mairie de Belley",
    )
    assert (site.organisation, site.commune_id, site.active) == (org, "01034", True)
    [entry] = entries(object_type="site")
    assert (entry.action, entry.actor, entry.organisation_id) == ("CREATE", admin, org.pk)
    assert entry.object_id == str(site.pk) and entry.person_id is None
    assert entry.changes["kind"] == {"avant": None, "apres": "PERMANENCE_PARTENAIRE"}
    assert entry.changes["commune"] == {"avant": None, "apres": "01034"}


def test_update_site_records_only_what_changed(org, admin):
    site = SiteFactory(organisation=org, name="Accueil Bourg", departement_id="01")
    services.update_site(
        actor=admin,
        site=site,
        name="Accueil Bourg",
        kind=Site.Kind.SUR_RDV,
        departement="01",
        active=False,
    )
    [entry] = entries(object_type="site")
    assert entry.action == "UPDATE"
    assert entry.changes == {
        "kind": {"avant": "ACCUEIL_PERMANENT", "apres": "SUR_RDV"},
        "active": {"avant": True, "apres": False},
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"departement": "75"}, "departement", "« 75 » n'est pas couvert par l'organisme"),
        ({"commune": "99999"}, "commune", "Code commune inconnu : « 99999 »"),
        ({"commune": "69123"}, "commune", "Lyon (69123) n'est pas dans le département « 01 »"),
        ({"kind": "PERMANENCE_PARTENAIRE"}, "partner", "indiquez qui accueille"),
        ({"name": "  "}, "name", "Donnez un nom"),
        ({"kind": "BUREAU"}, "kind", "Choisissez le type de lieu"),
    ],
)
def test_create_site_refusals(org, admin, overrides, field, message):
    args = {"name": "Lieu", "kind": "SUR_RDV", "departement": "01"} | overrides
    with pytest.raises(BusinessError) as error:
        services.create_site(actor=admin, organisation=org, **args)
    assert message in error.value.errors[field]
    assert not Site.objects.exists() and not AuditEntry.objects.exists()


# --- secteurs ----------------------------------------------------------------------------------


def test_parse_insee_codes():
    assert services.parse_insee_codes(" 01053, 01004\n01053;2a004 ") == ["01004", "01053", "2A004"]
    assert services.parse_insee_codes("") == []


def test_create_and_update_sector(org, admin, worker):
    sector = services.create_sector(
        actor=admin,
        organisation=org,
        name="Bresse",
        departement="01",
        communes=["01053", "01004"],
        social_worker=worker,
    )
    assert sorted(sector.communes.values_list("code", flat=True)) == ["01004", "01053"]
    created = entries(object_type="sector")[0]
    assert created.action == "CREATE"
    assert created.changes["communes"] == {"avant": None, "apres": ["01004", "01053"]}
    assert created.changes["social_worker"] == {"avant": None, "apres": worker.pk}
    services.update_sector(
        actor=admin,
        sector=sector,
        name="Bresse",
        departement="01",
        communes=["01053", "01034"],
        social_worker=None,
    )
    updated = entries(object_type="sector")[1]
    assert updated.changes == {
        "communes": {"avant": ["01004", "01053"], "apres": ["01034", "01053"]},
        "social_worker": {"avant": worker.pk, "apres": None},
    }


def test_sector_communes_must_be_known_and_inside_the_organisation(org, admin):
    with pytest.raises(BusinessError) as error:
        services.create_sector(
            actor=admin,
            organisation=org,
            name="Bresse",
            departement="01",
            communes=["01053", "99999", "75056", "38185", "69123"],
        )
    message = error.value.errors["communes"]
    assert "codes inconnus : 99999" in message
    assert "hors du territoire de l'organisme : 38185 (Grenoble, 38), 75056 (Paris, 75)" in message
    assert "hors du département 01 du secteur : 69123 (Lyon)" in message
    assert "01053" not in message
    assert not Sector.objects.exists() and not AuditEntry.objects.exists()


def test_a_commune_belongs_to_one_sector_of_the_organisation(org, other_org, admin):
    services.create_sector(
        actor=admin, organisation=org, name="Bresse", departement="01", communes=["01053"]
    )
    other_admin = UserFactory(organisation=other_org, admin=True)
    services.create_sector(  # un autre organisme peut sectoriser la même commune
        actor=other_admin,
        organisation=other_org,
        name="Bresse",
        departement="01",
        communes=["01053"],
    )
    with pytest.raises(BusinessError) as error:
        services.create_sector(
            actor=admin, organisation=org, name="Dombes", departement="01", communes=["01053"]
        )
    assert (
        "déjà dans un autre secteur : 01053 (Bourg-en-Bresse, secteur « Bresse »)"
        in (error.value.errors["communes"])
    )
    with pytest.raises(BusinessError) as error:
        services.create_sector(actor=admin, organisation=org, name="bresse", departement="01")
    assert error.value.errors["name"] == "Un autre secteur s'appelle déjà « bresse »."


@pytest.mark.parametrize(
    ("make_worker", "message"),
    [
        (
            lambda org, other: UserFactory(organisation=other, social_worker=True),
            "n'appartient pas",
        ),
        (lambda org, other: UserFactory(organisation=org, manager=True), "confié à une ou un AS"),
        (
            lambda org, other: UserFactory(
                organisation=org, social_worker=True, departements=["69"]
            ),
            "n'intervient pas dans le département 01",
        ),
        (
            lambda org, other: UserFactory(organisation=org, social_worker=True, is_active=False),
            "Ce compte est désactivé",
        ),
    ],
)
def test_sector_social_worker_refusals(org, other_org, admin, make_worker, message):
    with pytest.raises(BusinessError) as error:
        services.create_sector(
            actor=admin,
            organisation=org,
            name="Bresse",
            departement="01",
            social_worker=make_worker(org, other_org),
        )
    assert message in error.value.errors["social_worker"]


def test_sector_may_keep_its_deactivated_social_worker(org, admin, worker):
    sector = services.create_sector(
        actor=admin, organisation=org, name="Bresse", departement="01", social_worker=worker
    )
    services.deactivate_staff(actor=admin, user=worker)
    services.update_sector(
        actor=admin, sector=sector, name="Bresse nord", departement="01", social_worker=worker
    )
    sector.refresh_from_db()
    assert (sector.name, sector.social_worker) == ("Bresse nord", worker)


# --- agents ------------------------------------------------------------------------------------


def test_create_staff(org, admin):
    site = SiteFactory(organisation=org)
    user = services.create_staff(
        actor=admin, organisation=org, password=PASSWORD, **staff_args(site=site)
    )
    user.refresh_from_db()
    assert user.organisation == org and user.is_active and not user.is_org_admin
    assert (user.fte, user.site, user.function) == (Decimal("0.80"), site, "AS")
    assert list(user.departements.values_list("code", flat=True)) == ["01"]
    assert authenticate(username="ines.haddad", password=PASSWORD) == user
    [entry] = entries(object_type="user")
    assert (entry.action, entry.organisation_id, entry.object_id) == (
        "CREATE",
        org.pk,
        str(user.pk),
    )
    assert entry.changes["departements"] == {"avant": None, "apres": ["01"]}
    assert entry.changes["mot_de_passe"] == {"avant": None, "apres": "défini"}
    text = str(entry.changes)
    assert PASSWORD not in text and "md5$" not in text and "password" not in entry.changes


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"fte": Decimal("1.5")}, "fte", "L'ETP est compris entre 0,1 et 1"),
        ({"fte": Decimal("0.05")}, "fte", "L'ETP est compris entre 0,1 et 1"),
        ({"fte": "abc"}, "fte", "L'ETP est compris entre 0,1 et 1"),
        ({"departements": ["01", "75"]}, "departements", "hors de l'organisme : 75"),
        ({"departements": []}, "departements", "au moins un département"),
        ({"function": ""}, "function", "Choisissez une fonction"),
        ({"function": "CHEF"}, "function", "Fonction inconnue"),
        ({"username": "a b"}, "username", "L'identifiant ne contient que"),
        ({"email": "pas-une-adresse"}, "email", "Adresse électronique invalide"),
        ({"last_name": ""}, "last_name", "Donnez le nom"),
    ],
)
def test_create_staff_refusals(org, admin, overrides, field, message):
    with pytest.raises(BusinessError) as error:
        services.create_staff(
            actor=admin, organisation=org, password=PASSWORD, **staff_args(**overrides)
        )
    assert message in error.value.errors[field]
    assert not User.objects.filter(username="ines.haddad").exists()
    assert not AuditEntry.objects.exists()


def test_fte_bounds_are_inclusive(org, admin):
    low = services.create_staff(
        actor=admin, organisation=org, password=PASSWORD, **staff_args(fte="0,1")
    )
    high = services.create_staff(
        actor=admin,
        organisation=org,
        password=PASSWORD,
        **staff_args(username="b", fte=Decimal("1.0")),
    )
    assert (low.fte, high.fte) == (Decimal("0.10"), Decimal("1.00"))


def test_staff_site_must_belong_to_the_organisation(org, other_org, admin):
    foreign = SiteFactory(organisation=other_org)
    with pytest.raises(BusinessError) as error:
        services.create_staff(
            actor=admin, organisation=org, password=PASSWORD, **staff_args(site=foreign)
        )
    assert error.value.errors["site"] == "Ce lieu d'accueil n'appartient pas à l'organisme."


def test_staff_password_goes_through_django_validators(org, admin):
    for password, message in (
        ("court", "trop court"),
        ("", "Donnez un mot de passe initial"),
        ("ines.haddad-2026", "trop semblable"),
        ("123456789012345", "entièrement numérique"),
    ):
        with pytest.raises(BusinessError) as error:
            services.create_staff(actor=admin, organisation=org, password=password, **staff_args())
        assert message in error.value.errors["password"], password
    with pytest.raises(BusinessError) as error:  # toutes les erreurs à la fois
        services.create_staff(
            actor=admin, organisation=org, password="court", **staff_args(fte=Decimal("2"))
        )
    assert set(error.value.errors) == {"fte", "password"}


def test_username_is_unique_whatever_the_case(org, admin, worker):
    with pytest.raises(BusinessError) as error:
        services.create_staff(
            actor=admin,
            organisation=org,
            password=PASSWORD,
            **staff_args(username=worker.username.upper()),
        )
    assert "déjà pris" in error.value.errors["username"]


def test_update_staff_and_change_password(org, admin, worker):
    services.update_staff(
        actor=admin,
        user=worker,
        **staff_args(username=worker.username, departements=["01", "69"]),
        password=PASSWORD,
    )
    worker.refresh_from_db()
    assert (worker.first_name, worker.fte) == ("Inès", Decimal("0.80"))
    assert worker.check_password(PASSWORD)
    [entry] = entries(object_type="user")
    assert entry.action == "UPDATE"
    assert entry.changes["departements"] == {"avant": ["01"], "apres": ["01", "69"]}
    assert entry.changes["mot_de_passe"] == {"avant": "…", "apres": "modifié"}
    assert "username" not in entry.changes and PASSWORD not in str(entry.changes)
    services.update_staff(actor=admin, user=worker, **staff_args(username=worker.username))
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)  # sans mot de passe : inchangé


def test_admin_cannot_remove_his_own_admin_right(org, admin):
    with pytest.raises(BusinessError) as error:
        services.update_staff(
            actor=admin,
            user=admin,
            **staff_args(username=admin.username, function="", is_org_admin=False),
        )
    assert "vos propres droits" in error.value.errors["is_org_admin"]


def test_deactivate_and_reactivate_staff(client, org, admin, worker):
    services.deactivate_staff(actor=admin, user=worker)
    worker.refresh_from_db()
    assert not worker.is_active
    assert User.objects.filter(pk=worker.pk).exists()  # jamais supprimé
    assert authenticate(username=worker.username, password="mot-de-passe-de-test-42") is None
    with pytest.raises(BusinessError, match="déjà désactivé"):
        services.deactivate_staff(actor=admin, user=worker)
    services.reactivate_staff(actor=admin, user=worker)
    worker.refresh_from_db()
    assert worker.is_active
    assert [(e.summary, e.changes) for e in entries(object_type="user")] == [
        (f"Compte désactivé : {worker}", {"is_active": {"avant": True, "apres": False}}),
        (f"Compte réactivé : {worker}", {"is_active": {"avant": False, "apres": True}}),
    ]


def test_admin_cannot_deactivate_himself(org, admin):
    with pytest.raises(BusinessError, match="votre propre compte"):
        services.deactivate_staff(actor=admin, user=admin)
    admin.refresh_from_db()
    assert admin.is_active


# --- organisme ---------------------------------------------------------------------------------


def test_update_organisation(org, admin):
    services.update_organisation(
        actor=admin,
        organisation=org,
        name="Carsat Rhône-Alpes",
        departements=["01", "69", "38"],
        home_visit_target=320,
    )
    org.refresh_from_db()
    assert (org.name, org.home_visit_target) == ("Carsat Rhône-Alpes", 320)
    assert sorted(org.departements.values_list("code", flat=True)) == ["01", "38", "69"]
    [entry] = entries(object_type="organisation")
    assert entry.organisation_id == org.pk and entry.action == "UPDATE"
    assert entry.changes["departements"] == {"avant": ["01", "69"], "apres": ["01", "38", "69"]}
    assert entry.changes["home_visit_target"] == {"avant": 300, "apres": 320}


def test_a_departement_in_use_cannot_be_removed(org, admin):
    SiteFactory(organisation=org, departement_id="69")
    UserFactory(organisation=org, departements=["69"])
    with pytest.raises(BusinessError) as error:
        services.update_organisation(
            actor=admin, organisation=org, name=org.name, departements=["01"], home_visit_target=300
        )
    assert error.value.errors["departements"].startswith(
        "Ces départements sont encore utilisés : 69 (1 lieu, 2 agents)."
    )
    assert sorted(org.departements.values_list("code", flat=True)) == ["01", "69"]
    with pytest.raises(BusinessError) as error:
        services.update_organisation(
            actor=admin,
            organisation=org,
            name="",
            departements=["01", "69", "XX"],
            home_visit_target=-1,
        )
    assert set(error.value.errors) == {"name", "departements", "home_visit_target"}


def test_create_organisation_with_its_first_admin(db):
    operator = UserFactory(organisation=None, is_superuser=True, function="")
    organisation = services.create_organisation(
        actor=operator,
        code="carsat-bfc",
        name="Carsat Bourgogne-Franche-Comté",
        kind="CARSAT",
        region="27",
        first_admin={
            "username": "admin.bfc",
            "first_name": "Paul",
            "last_name": "Girard",
            "email": "",
            "password": PASSWORD,
        },
    )
    assert sorted(organisation.departements.values_list("code", flat=True)) == [
        "21",
        "25",
        "39",
        "58",
        "70",
        "71",
        "89",
        "90",
    ]
    first = User.objects.get(username="admin.bfc")
    assert first.organisation == organisation and first.is_org_admin and first.function == ""
    assert [e.object_type for e in entries(organisation=organisation)] == ["organisation", "user"]
    with pytest.raises(BusinessError) as error:
        services.create_organisation(
            actor=operator,
            code="carsat-bfc",
            name="Doublon",
            kind="CARSAT",
            departements=["21"],
            first_admin={"username": "x", "first_name": "", "last_name": "", "password": "court"},
        )
    assert "déjà pris" in error.value.errors["code"]
    with pytest.raises(BusinessError) as error:
        services.create_organisation(
            actor=operator,
            code="cpam-21",
            name="CPAM de la Côte-d'Or",
            kind="CPAM",
            departements=["21"],
            first_admin={"username": "y", "first_name": "", "last_name": "N", "password": PASSWORD},
        )
    assert set(error.value.errors) == {"admin_first_name"}
    assert not Organisation.objects.filter(code="cpam-21").exists()


def test_organisations_are_independent(org, other_org, admin):
    """Un agent d'un autre organisme ne peut être rattaché à un lieu d'ici, et inversement."""
    other = OrganisationFactory(code="troisieme", departements=["38"])
    with pytest.raises(BusinessError):
        services.create_site(
            actor=admin, organisation=other, name="X", kind="SUR_RDV", departement="01"
        )


# --- le journal ne se modifie pas --------------------------------------------------------------


def test_audit_entries_cannot_be_updated_at_sql_level(org, admin):
    with clock.frozen(datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)):
        entry = audit.record(actor=admin, action="READ", object_type="person", person_id=1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET summary = %s WHERE id = %s", ["falsifié", entry.pk]
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="CREATE")
    entry.refresh_from_db()
    assert (entry.summary, entry.action) == ("", "READ")
