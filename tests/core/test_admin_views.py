"""Pages d'administration : réservées à l'administrateur de son organisme (404 pour tout autre),
formulaires DSFR avec les refus des services à côté des champs, journal d'audit filtrable et en
lecture seule."""

import datetime
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from parcours.core import audit, clock, services
from parcours.core.models import AuditEntry, Organisation, Sector, Site, User
from tests.conftest import login_as
from tests.factories import SiteFactory, UserFactory, make_person

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
PASSWORD = "une-phrase-de-passe-solide-2026"

LIST_PAGES = [
    "administration",
    "administration-organisme",
    "administration-lieux",
    "administration-lieu-nouveau",
    "administration-secteurs",
    "administration-secteur-nouveau",
    "administration-agents",
    "administration-agent-nouveau",
    "administration-journal",
]
OBJECT_PAGES = [
    "administration-lieu",
    "administration-secteur",
    "administration-agent",
    "administration-agent-desactivation",
]
OTHER_ROLES = ["social_worker", "front_line", "secretary", "manager", "steering"]


@pytest.fixture
def admin(org):
    return UserFactory(
        organisation=org,
        admin=True,
        departements=["01", "69"],
        first_name="Alice",
        last_name="Admin",
    )


@pytest.fixture
def worker(org):
    return UserFactory(
        organisation=org, social_worker=True, departements=["01"], first_name="Inès", last_name="As"
    )


@pytest.fixture
def objects(org, worker):
    site = SiteFactory(organisation=org, name="Accueil de Bourg", departement_id="01")
    sector = Sector.objects.create(
        organisation=org, departement_id="01", name="Bresse", social_worker=worker
    )
    return {
        "administration-lieu": site.pk,
        "administration-secteur": sector.pk,
        "administration-agent": worker.pk,
        "administration-agent-desactivation": worker.pk,
        "administration-agent-reactivation": worker.pk,
    }


def url(name, objects):
    return reverse(name, args=[objects[name]]) if name in objects else reverse(name)


def text(response) -> str:
    return unescape(response.content.decode())


def field_error(response, name: str) -> str:
    """Le message affiché sous le champ ``name`` (bloc ``id_<name>-desc-error`` du DSFR)."""
    match = re.search(rf'id="id_{name}-desc-error">(.*?)</div>', text(response), re.S)
    assert match, f"pas d'erreur sous le champ {name}"
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()


# --- accès -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LIST_PAGES + OBJECT_PAGES)
def test_pages_render_for_the_admin(client, admin, objects, name):
    login_as(client, admin)
    response = client.get(url(name, objects))
    assert response.status_code == 200
    html = text(response)
    assert html.count("<h1") == 1
    assert 'aria-current="page">Administration</a>' in html  # menu principal
    assert "<title>" in html and "— Parcours</title>" in html


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_page_is_404_for_other_roles(client, org, objects, role):
    user = UserFactory(organisation=org, departements=["01"], **{role: True})
    login_as(client, user)
    names = (
        LIST_PAGES
        + OBJECT_PAGES
        + ["administration-organismes", "administration-organisme-nouveau"]
    )
    for name in names:
        assert client.get(url(name, objects)).status_code == 404, name
    for name in ["administration-lieu-nouveau", "administration-agent-reactivation"] + OBJECT_PAGES:
        assert client.post(url(name, objects), {"name": "X"}).status_code == 404, name
    assert Site.objects.count() == 1 and User.objects.filter(is_active=False).count() == 0


def test_anonymous_is_sent_to_the_login_page(client, objects):
    response = client.get(reverse("administration-journal"))
    assert response.status_code == 302 and response.url.startswith(reverse("connexion"))


def test_admin_of_another_organisation_gets_404_on_this_organisations_objects(
    client, other_org, objects, worker
):
    login_as(client, UserFactory(organisation=other_org, admin=True, departements=["01"]))
    for name in OBJECT_PAGES + ["administration-agent-reactivation"]:
        assert client.get(url(name, objects)).status_code in {404, 405}, name
        assert client.post(url(name, objects), {"name": "Pris"}).status_code == 404, name
    worker.refresh_from_db()
    assert worker.is_active
    assert Site.objects.get(pk=objects["administration-lieu"]).name == "Accueil de Bourg"
    assert not AuditEntry.objects.filter(action__in=["CREATE", "UPDATE"]).exists()
    lists = {
        "administration-lieux": "Accueil de Bourg",
        "administration-secteurs": "Bresse",
        "administration-agents": "Inès As",
    }
    for name, label in lists.items():
        assert label not in text(client.get(reverse(name))), name


def test_operator_pages_are_for_superusers_only(client, org, admin):
    login_as(client, admin)
    assert client.get(reverse("administration-organismes")).status_code == 404
    assert client.get(reverse("administration-organisme-nouveau")).status_code == 404
    operator = UserFactory(organisation=None, is_superuser=True, function="", departements=[])
    login_as(client, operator)
    assert client.get(reverse("administration")).url == reverse("administration-organismes")
    assert client.get(reverse("administration-lieux")).status_code == 404  # aucun organisme
    html = text(client.get(reverse("administration-organismes")))
    assert org.name in html
    response = client.post(
        reverse("administration-organisme-nouveau"),
        {
            "code": "cpam-01",
            "name": "CPAM de l'Ain",
            "kind": "CPAM",
            "region": "84",
            "departements": "01",
            "home_visit_target": "250",
            "admin_username": "admin.cpam01",
            "admin_first_name": "Jeanne",
            "admin_last_name": "Roux",
            "admin_password": "court",
        },
    )
    assert "trop court" in field_error(response, "admin_password")
    assert not Organisation.objects.filter(code="cpam-01").exists()
    response = client.post(
        reverse("administration-organisme-nouveau"),
        {
            "code": "cpam-01",
            "name": "CPAM de l'Ain",
            "kind": "CPAM",
            "region": "84",
            "departements": "01",
            "home_visit_target": "250",
            "admin_username": "admin.cpam01",
            "admin_first_name": "Jeanne",
            "admin_last_name": "Roux",
            "admin_password": PASSWORD,
        },
    )
    assert response.status_code == 302
    created = Organisation.objects.get(code="cpam-01")
    assert list(created.departements.values_list("code", flat=True)) == ["01"]
    assert User.objects.get(username="admin.cpam01").is_org_admin


# --- organisme ---------------------------------------------------------------------------------


def test_organisation_edit(client, org, admin):
    login_as(client, admin)
    response = client.post(
        reverse("administration-organisme"),
        {
            "name": "Carsat Rhône-Alpes",
            "departements": ["01", "69"],
            "other_departements": "38",
            "home_visit_target": "320",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.home_visit_target) == ("Carsat Rhône-Alpes", 320)
    assert sorted(org.departements.values_list("code", flat=True)) == ["01", "38", "69"]
    entry = AuditEntry.objects.get(object_type="organisation")
    assert entry.changes["departements"] == {"avant": ["01", "69"], "apres": ["01", "38", "69"]}


def test_organisation_edit_refuses_to_drop_a_departement_in_use(client, org, admin):
    login_as(client, admin)  # l'administrateur intervient dans le 69
    response = client.post(
        reverse("administration-organisme"),
        {"name": org.name, "departements": ["01"], "home_visit_target": "300"},
    )
    assert "encore utilisés : 69 (1 agent)" in field_error(response, "departements")
    assert sorted(org.departements.values_list("code", flat=True)) == ["01", "69"]


# --- lieux d'accueil ---------------------------------------------------------------------------


SITE = {
    "name": "Permanence mairie de Belley",
    "kind": "PERMANENCE_PARTENAIRE",
    "departement": "01",
    "commune": "01034",
    "address": "Place de la mairie",
    "partner": "Mairie de Belley",
    "active": "on",
}


def test_create_site_refuses_a_bad_commune_next_to_the_field(client, admin):
    login_as(client, admin)
    response = client.post(reverse("administration-lieu-nouveau"), SITE | {"commune": "99999"})
    assert response.status_code == 200
    assert field_error(response, "commune") == "Code commune inconnu : « 99999 »."
    assert "Rien n'est enregistré" in text(response)
    response = client.post(reverse("administration-lieu-nouveau"), SITE | {"partner": ""})
    assert "indiquez qui accueille" in field_error(response, "partner")
    assert not Site.objects.exists()
    response = client.post(reverse("administration-lieu-nouveau"), SITE)
    assert response.status_code == 302 and response.url == reverse("administration-lieux")
    site = Site.objects.get()
    assert (site.commune_id, site.organisation_id, site.kind) == (
        "01034",
        admin.organisation_id,
        "PERMANENCE_PARTENAIRE",
    )
    assert AuditEntry.objects.get(object_type="site").action == "CREATE"
    html = text(client.get(reverse("administration-lieux")))
    assert "Permanence chez un partenaire" in html and "Belley (01034)" in html


def test_edit_site(client, org, admin):
    site = SiteFactory(organisation=org, name="Accueil de Bourg", departement_id="01")
    login_as(client, admin)
    page = text(client.get(reverse("administration-lieu", args=[site.pk])))
    assert 'value="Accueil de Bourg"' in page
    response = client.post(
        reverse("administration-lieu", args=[site.pk]),
        {"name": "Accueil de Bourg", "kind": "SUR_RDV", "departement": "69", "commune": "01053"},
    )
    assert "Bourg-en-Bresse (01053) n'est pas dans le département « 69 »" in field_error(
        response, "commune"
    )
    response = client.post(
        reverse("administration-lieu", args=[site.pk]),
        {"name": "Accueil de Bourg", "kind": "SUR_RDV", "departement": "01", "commune": "01053"},
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.kind, site.commune_id, site.active) == ("SUR_RDV", "01053", False)


# --- secteurs ----------------------------------------------------------------------------------


def test_create_sector_names_each_refused_commune(client, admin, worker):
    login_as(client, admin)
    data = {
        "name": "Bresse",
        "departement": "01",
        "social_worker": worker.pk,
        "communes": "01053, 99999 69123\n75056",
    }
    response = client.post(reverse("administration-secteur-nouveau"), data)
    error = field_error(response, "communes")
    assert error.startswith("Communes refusées — codes inconnus : 99999 ;")
    assert "hors du territoire de l'organisme : 75056 (Paris, 75)" in error
    assert "hors du département 01 du secteur : 69123 (Lyon)" in error
    assert not Sector.objects.exists()
    response = client.post(
        reverse("administration-secteur-nouveau"), data | {"communes": "01053\n01004"}
    )
    assert response.status_code == 302
    sector = Sector.objects.get()
    assert sorted(sector.communes.values_list("code", flat=True)) == ["01004", "01053"]
    assert sector.social_worker == worker
    page = text(client.get(reverse("administration-secteur", args=[sector.pk])))
    assert "01004 01053</textarea>" in page and "Bourg-en-Bresse (01053)" in page


def test_sector_social_worker_choices_are_this_organisations_social_workers(
    client, org, other_org, admin, worker
):
    foreign = UserFactory(organisation=other_org, social_worker=True, departements=["01"])
    manager = UserFactory(organisation=org, manager=True)
    login_as(client, admin)
    form = client.get(reverse("administration-secteur-nouveau")).context["form"]
    assert list(form.fields["social_worker"].queryset) == [worker]
    response = client.post(
        reverse("administration-secteur-nouveau"),
        {"name": "Bresse", "departement": "01", "social_worker": foreign.pk},
    )
    assert "Sélectionnez un choix valide" in field_error(response, "social_worker")
    assert manager not in form.fields["social_worker"].queryset


def test_edit_sector(client, org, admin, worker):
    sector = services.create_sector(
        actor=admin, organisation=org, name="Bresse", departement="01", communes=["01053"]
    )
    login_as(client, admin)
    response = client.post(
        reverse("administration-secteur", args=[sector.pk]),
        {
            "name": "Bresse",
            "departement": "01",
            "social_worker": worker.pk,
            "communes": "01053 01004",
        },
    )
    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.social_worker == worker and sector.communes.count() == 2


# --- agents ------------------------------------------------------------------------------------

STAFF = {
    "username": "nouvelle.as",
    "first_name": "Inès",
    "last_name": "Haddad",
    "function": "AS",
    "fte": "0,8",
    "departements": ["01"],
    "password": PASSWORD,
}


def test_create_staff_with_validation_next_to_each_field(client, org, other_org, admin):
    foreign_site = SiteFactory(organisation=other_org)
    login_as(client, admin)
    create = reverse("administration-agent-nouveau")
    response = client.post(create, STAFF | {"fte": "1,5"})
    assert field_error(response, "fte").startswith("L'ETP est compris entre 0,1 et 1")
    response = client.post(create, STAFF | {"site": foreign_site.pk})
    assert "Sélectionnez un choix valide" in field_error(response, "site")
    response = client.post(create, STAFF | {"password": "court"})
    assert "trop court" in field_error(response, "password")
    assert PASSWORD not in text(response)  # le mot de passe n'est pas renvoyé
    response = client.post(create, STAFF | {"departements": []})
    assert "au moins un département" in field_error(response, "departements")
    assert not User.objects.filter(username="nouvelle.as").exists()
    site = SiteFactory(organisation=org)
    response = client.post(create, STAFF | {"site": site.pk})
    assert response.status_code == 302
    user = User.objects.get(username="nouvelle.as")
    assert user.organisation == org and user.check_password(PASSWORD) and user.site == site
    assert str(user.fte) == "0.80"
    entry = AuditEntry.objects.get(object_type="user", action="CREATE")
    assert PASSWORD not in str(entry.changes) and "password" not in entry.changes


def test_edit_staff_keeps_the_password_when_left_empty(client, admin, worker):
    login_as(client, admin)
    edit = reverse("administration-agent", args=[worker.pk])
    form = client.get(edit).context["form"]
    assert form.initial["departements"] == ["01"] and not form.fields["password"].required
    response = client.post(
        edit, STAFF | {"username": worker.username, "password": "", "fte": "0.5"}
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert str(worker.fte) == "0.50" and worker.check_password("mot-de-passe-de-test-42")


def test_admin_cannot_remove_his_own_admin_right(client, admin):
    login_as(client, admin)
    response = client.post(
        reverse("administration-agent", args=[admin.pk]),
        {
            "username": admin.username,
            "first_name": "A",
            "last_name": "B",
            "fte": "1",
            "function": "AS",
            "departements": ["01"],
        },
    )
    assert "vos propres droits" in field_error(response, "is_org_admin")
    admin.refresh_from_db()
    assert admin.is_org_admin
    page = text(client.get(reverse("administration-agent", args=[admin.pk])))
    assert "Désactiver le compte" not in page


def test_deactivate_then_reactivate_staff(client, admin, worker):
    login_as(client, admin)
    sector = Sector.objects.create(
        organisation=admin.organisation, departement_id="01", name="Bresse", social_worker=worker
    )
    deactivate = reverse("administration-agent-desactivation", args=[worker.pk])
    page = text(client.get(deactivate))
    assert "Secteurs à réaffecter" in page and sector.name in page
    response = client.post(deactivate)
    assert response.status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active
    agents = reverse("administration-agents")
    assert worker not in client.get(agents).context["staff"]
    assert list(client.get(agents, {"etat": "desactives"}).context["staff"]) == [worker]
    response = client.post(reverse("administration-agent-reactivation", args=[worker.pk]))
    assert response.url == reverse("administration-agent", args=[worker.pk])
    worker.refresh_from_db()
    assert worker.is_active
    assert (
        client.get(reverse("administration-agent-reactivation", args=[worker.pk])).status_code
        == 405
    )


def test_admin_cannot_deactivate_himself(client, admin):
    login_as(client, admin)
    response = client.post(reverse("administration-agent-desactivation", args=[admin.pk]))
    assert "votre propre compte" in text(response)
    admin.refresh_from_db()
    assert admin.is_active


def test_staff_list_filters(client, org, admin):
    UserFactory(organisation=org, social_worker=True, departements=["01"], last_name="Ain")
    UserFactory(organisation=org, social_worker=True, departements=["69"], last_name="Rhone")
    UserFactory(organisation=org, manager=True, departements=["01", "69"], last_name="Chef")
    UserFactory(
        organisation=org,
        social_worker=True,
        departements=["01"],
        last_name="Parti",
        is_active=False,
    )
    UserFactory(last_name="Ailleurs")  # autre organisme
    login_as(client, admin)

    def names(**params):
        staff = client.get(reverse("administration-agents"), params).context["staff"]
        return [u.last_name for u in staff]

    assert names() == ["Admin", "Ain", "Chef", "Rhone"]
    assert names(fonction="AS") == ["Ain", "Rhone"]
    assert names(departement="69") == ["Admin", "Chef", "Rhone"]
    assert names(fonction="AS", departement="01", etat="tous") == ["Ain", "Parti"]
    assert names(etat="desactives") == ["Parti"]
    response = client.get(reverse("administration-agents"), {"fonction": "AS"})
    assert "2 agents, 2 ETP" in text(response)


# --- journal d'audit ---------------------------------------------------------------------------


def at(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def journal(org, other_org, admin, worker):
    """Cinq entrées ici (dont une juste avant minuit, heure de Paris), une ailleurs."""
    other = UserFactory(organisation=org, front_line=True, last_name="Accueil")
    rows = [
        (at(2026, 3, 1, 23, 30), worker, "READ", "person", 7, "Consultation de la fiche"),
        (at(2026, 3, 2, 0, 15), worker, "REVEAL_NIR", "person", 8, "Affichage du NIR en clair"),
        (at(2026, 3, 2, 10, 0), other, "READ", "person", 8, "Consultation de la fiche"),
        (at(2026, 3, 3, 9, 0), other, "LOGIN", "connexion", None, "Connexion"),
        (at(2026, 3, 4, 16, 45), admin, "UPDATE", "site", None, "Lieu d'accueil modifié"),
    ]
    for when, actor, action, object_type, person_id, summary in rows:
        with clock.frozen(when):
            audit.record(
                actor=actor,
                action=action,
                object_type=object_type,
                object_id=str(person_id or ""),
                person_id=person_id,
                summary=summary,
            )
    with clock.frozen(at(2026, 3, 2, 12, 0)):
        audit.record(
            actor=UserFactory(organisation=other_org),
            action="READ",
            object_type="person",
            person_id=9,
            summary="Ailleurs",
        )
    return {"worker": worker, "other": other}


def rows(client, **params):
    response = client.get(reverse("administration-journal"), params)
    assert response.status_code == 200
    return [
        (r["entry"].at.astimezone(PARIS).strftime("%d %H:%M"), r["entry"].action)
        for r in response.context["rows"]
    ]


def test_audit_log_lists_this_organisation_newest_first(client, admin, journal):
    login_as(client, admin)
    assert rows(client) == [
        ("04 16:45", "UPDATE"),
        ("03 09:00", "LOGIN"),
        ("02 10:00", "READ"),
        ("02 00:15", "REVEAL_NIR"),
        ("01 23:30", "READ"),
    ]
    html = text(client.get(reverse("administration-journal")))
    assert "Ailleurs" not in html
    assert "02/03/2026 00:15:00" in html  # heure de Paris (23:15 en UTC)
    assert "Affichage du NIR" in html and "Lieu d'accueil n°" not in html


def test_audit_log_filters(client, admin, journal):
    login_as(client, admin)
    worker, other = journal["worker"], journal["other"]
    assert rows(client, actor=worker.pk) == [("02 00:15", "REVEAL_NIR"), ("01 23:30", "READ")]
    assert rows(client, action="READ") == [("02 10:00", "READ"), ("01 23:30", "READ")]
    assert rows(client, object_type="connexion") == [("03 09:00", "LOGIN")]
    assert rows(client, person_id=8) == [("02 10:00", "READ"), ("02 00:15", "REVEAL_NIR")]
    # Les jours sont ceux de Paris : le 2 mars commence à 00:00 à Paris, pas en UTC.
    assert rows(client, start="2026-03-02", end="2026-03-02") == [
        ("02 10:00", "READ"),
        ("02 00:15", "REVEAL_NIR"),
    ]
    assert rows(client, end="2026-03-01") == [("01 23:30", "READ")]
    assert rows(client, start="2026-03-03") == [("04 16:45", "UPDATE"), ("03 09:00", "LOGIN")]
    assert rows(client, actor=other.pk, action="READ", person_id=8) == [("02 10:00", "READ")]
    assert rows(client, start="2026-03-05") == []


def test_audit_log_reports_bad_filters(client, admin, journal):
    login_as(client, admin)
    response = client.get(
        reverse("administration-journal"), {"person_id": "abc", "action": "LOGIN"}
    )
    assert "Saisissez un nombre entier" in field_error(response, "person_id")
    assert [r["entry"].action for r in response.context["rows"]] == ["LOGIN"]
    response = client.get(
        reverse("administration-journal"), {"start": "2026-03-04", "end": "2026-03-01"}
    )
    assert "La date de fin ne peut pas précéder la date de début." in field_error(response, "end")
    foreign = UserFactory()
    response = client.get(reverse("administration-journal"), {"actor": foreign.pk})
    assert "Sélectionnez un choix valide" in field_error(response, "actor")


def test_audit_log_is_paginated_by_50(client, admin):
    with clock.frozen(at(2026, 3, 1, 8, 0)):
        for number in range(1, 56):
            audit.record(actor=admin, action="READ", object_type="person", person_id=number)
    login_as(client, admin)
    page1 = client.get(reverse("administration-journal"), {"action": "READ"}).context["page"]
    assert len(page1.object_list) == 50 and page1.paginator.num_pages == 2
    assert page1.object_list[0].person_id == 55  # les plus récentes d'abord (puis par id)
    response = client.get(reverse("administration-journal"), {"action": "READ", "page": "2"})
    assert [e.person_id for e in response.context["page"]] == [5, 4, 3, 2, 1]
    assert "?action=READ&page=1" in text(response)


def test_an_entry_written_by_a_service_is_visible_with_its_changes(client, org, admin):
    site = services.create_site(
        actor=admin, organisation=org, name="Accueil de Belley", kind="SUR_RDV", departement="01"
    )
    services.update_site(
        actor=admin,
        site=site,
        name="Accueil de Belley",
        kind="PERMANENCE_PARTENAIRE",
        departement="01",
        partner="Mairie",
    )
    login_as(client, admin)
    response = client.get(reverse("administration-journal"), {"object_type": "site"})
    assert [r["entry"].action for r in response.context["rows"]] == ["UPDATE", "CREATE"]
    html = re.sub(r"\s+", " ", text(response))
    assert "Lieu d'accueil modifié : Accueil de Belley" in html
    assert "Alice Admin" in html and "Lieu d'accueil n° " + str(site.pk) in html
    assert (
        '<th scope="row">Type de lieu</th> <td>Accueil sur rendez-vous uniquement</td> '
        "<td>Permanence chez un partenaire</td>"
    ) in html
    assert '<th scope="row">Partenaire hôte</th> <td>—</td> <td>Mairie</td>' in html


def test_audit_log_hides_personal_values(client, org, admin, worker):
    make_person(org=org, actor=worker, last_name="Duplantier", first_names="Rosalie")
    login_as(client, admin)
    html = text(client.get(reverse("administration-journal")))
    assert "Création de la fiche" in html and "valeurs non affichées" in html
    assert "Duplantier" not in html and "Rosalie" not in html


def test_audit_log_is_read_only(client, admin, journal):
    login_as(client, admin)
    response = client.post(reverse("administration-journal"), {"action": "READ"})
    assert response.status_code == 405
    html = text(client.get(reverse("administration-journal")))
    assert html.count('method="post"') == 1  # le seul : « Se déconnecter »
    assert AuditEntry.objects.count() == 6
