"""Registre des traitements : registre par défaut, saisie par l'administrateur (journal, version,
modification concurrente refusée avec les deux versions visibles), lecture du DPO, PDF relu,
commande ``parcours rgpd registre`` aux clés de formats.md §8, droits de chaque rôle."""

import io
import json
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from parcours.core.models import AuditEntry
from parcours.privacy.defaults import DEFAULT_REGISTER
from parcours.privacy.models import Processing, RetentionRules
from parcours.privacy.queries.register import REGISTER_KEYS, register_rows
from parcours.privacy.services import register as services
from tests.conftest import login_as
from tests.factories import UserFactory
from tests.pdf_checks import assert_tagged_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(org):
    return UserFactory(organisation=org, admin=True, username="admin-registre")


@pytest.fixture
def dpo(org):
    return UserFactory(organisation=org, function="", is_dpo=True, username="dpo-registre")


@pytest.fixture
def seeded(org, admin):
    services.seed_default_register(actor=admin, organisation=org)
    return org


def form_data(processing=None, **changes):
    data = {
        "name": "Gestion des rendez-vous",
        "code": "rendez-vous",
        "purpose": "Prendre et rappeler les rendez-vous des assurés.",
        "legal_basis": "MISSION_PUBLIQUE",
        "health_condition": "",
        "data_categories": "Identité\nCoordonnées\nDate et lieu du rendez-vous",
        "people_categories": "Assurés",
        "recipients": "Agents de l'accueil",
        "retention_rule": "CLOSED_FILES",
        "retention": "",
        "articles": "Code de la sécurité sociale, art. L. 262-1",
    }
    if processing is not None:
        data |= {k: getattr(processing, k) for k in services.PROCESSING_FIELDS} | {
            "version": processing.version
        }
    return data | changes


# --- registre par défaut ---------------------------------------------------------------------


def test_default_register_covers_every_processing_of_the_product(seeded):
    codes = set(Processing.objects.filter(organisation=seeded).values_list("code", flat=True))
    assert codes == {
        "accompagnement-individuel",
        "detection-ciblage",
        "actions-collectives",
        "aides-individuelles",
        "observatoire-fragilite",
        "echanges-partenaires",
        "api-partenaires",
        "rapport-activite",
        "journal-audit",
    }
    targeting = Processing.objects.get(organisation=seeded, code="detection-ciblage")
    assert "Décret n° 2019-341 du 19 avril 2019" in targeting.articles
    assert targeting.health_condition.startswith("Art. 9.2.h du RGPD")
    support = Processing.objects.get(organisation=seeded, code="accompagnement-individuel")
    assert "L. 262-1" in support.articles and "n° 78-17" in support.articles
    entry = AuditEntry.objects.get(object_type="processing", action=AuditEntry.Action.CREATE)
    assert entry.summary == "Registre des traitements initialisé (9 traitements par défaut)"


def test_seeding_twice_writes_nothing(seeded, admin):
    assert services.seed_default_register(actor=admin, organisation=seeded) == 0
    assert Processing.objects.filter(organisation=seeded).count() == len(DEFAULT_REGISTER)
    assert AuditEntry.objects.filter(object_type="processing").count() == 1


def test_retention_of_a_line_follows_the_rules_of_the_organisation(seeded, admin):
    def row(code):
        name = Processing.objects.get(organisation=seeded, code=code).name
        return next(r for r in register_rows(seeded) if r["traitement"] == name)

    assert row("accompagnement-individuel")["duree_conservation"].startswith(
        "5 ans après la dernière clôture"
    )
    assert row("detection-ciblage")["duree_conservation"].startswith("12 mois après le ciblage")
    assert row("journal-audit")["duree_conservation"] == "5 ans, puis suppression"
    services.update_retention_rules(
        actor=admin,
        organisation=seeded,
        values={
            "closed_files_years": 1,
            "unreached_targets_months": 6,
            "import_files_months": 3,
            "audit_years": 2,
        },
    )
    assert row("accompagnement-individuel")["duree_conservation"].startswith(
        "1 an après la dernière clôture"
    )
    assert row("detection-ciblage")["duree_conservation"].startswith("6 mois après le ciblage")
    assert row("journal-audit")["duree_conservation"] == "2 ans, puis suppression"
    assert row("observatoire-fragilite")["duree_conservation"].startswith("Extraits pseudonymisés")


# --- commande ------------------------------------------------------------------------------


def test_command_json_has_exactly_the_keys_of_the_contract(org, tmp_path):
    out = io.StringIO()
    call_command("rgpd", "registre", "--organisation", org.code, "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    assert isinstance(document, list) and len(document) == len(DEFAULT_REGISTER)
    assert all(tuple(row) == REGISTER_KEYS for row in document)
    targeting = next(r for r in document if r["traitement"].startswith("Détection"))
    assert targeting["base_legale"].startswith(
        "RGPD : Mission d'intérêt public (art. 6.1.e) ; données de santé : Art. 9.2.h"
    )
    assert "Décret n° 2019-341 du 19 avril 2019" in targeting["base_legale"]
    assert isinstance(targeting["categories_donnees"], list)
    assert "Durée de l'arrêt de travail, critère de ciblage" in targeting["categories_donnees"]
    # le registre par défaut est écrit une fois, puis chaque export laisse sa ligne
    exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, organisation=org)
    assert [e.summary for e in exports] == ["Registre des traitements (9 traitements, JSON)"]
    target = tmp_path / "registre.json"
    call_command(
        "rgpd",
        "registre",
        "--organisation",
        org.code,
        "--sortie",
        str(target),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert json.loads(target.read_text(encoding="utf-8")) == document
    assert exports.all().count() == 2
    assert Processing.objects.filter(organisation=org).count() == len(DEFAULT_REGISTER)


def test_command_pdf_is_written_and_readable(seeded, tmp_path):
    target = tmp_path / "registre.pdf"
    call_command(
        "rgpd",
        "registre",
        "--organisation",
        seeded.code,
        "--format",
        "pdf",
        "--sortie",
        str(target),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    content = target.read_bytes()
    assert_tagged_pdf(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Registre des traitements" in text
    assert "Détection et ciblage des assurés fragilisés" in text
    assert "Décret n° 2019-341 du 19 avril 2019" in " ".join(text.split())
    assert AuditEntry.objects.filter(summary="Registre des traitements (9 traitements, PDF)")


def test_command_refuses_bad_input(org):
    with pytest.raises(CommandError, match="Organisme inconnu : « nulle-part »"):
        call_command("rgpd", "registre", "--organisation", "nulle-part")
    with pytest.raises(CommandError, match="--format pdf : indiquez le fichier"):
        call_command("rgpd", "registre", "--organisation", org.code, "--format", "pdf")
    assert not Processing.objects.exists()


# --- saisie par l'administrateur -------------------------------------------------------------


def test_admin_adds_a_line_audited(client, org, admin):
    login_as(client, admin)
    page = client.get(reverse("protection-donnees-traitement-nouveau"))
    assert page.status_code == 200
    response = client.post(reverse("protection-donnees-traitement-nouveau"), form_data())
    assert response.status_code == 302
    processing = Processing.objects.get(organisation=org, code="rendez-vous")
    assert processing.version == 1 and processing.updated_by == admin
    entry = AuditEntry.objects.get(object_type="processing", object_id=str(processing.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == admin
    assert entry.summary == "Registre des traitements : « Gestion des rendez-vous » ajouté"
    assert entry.changes["legal_basis"] == {"avant": None, "apres": "MISSION_PUBLIQUE"}


def test_bad_input_is_refused_in_french_and_kept(client, seeded, admin):
    login_as(client, admin)
    data = form_data(purpose="", retention_rule="", code="accompagnement-individuel")
    response = client.post(reverse("protection-donnees-traitement-nouveau"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Décrivez la finalité du traitement." in html
    assert "Indiquez la durée de conservation, ou choisissez la durée" in html
    assert "Gestion des rendez-vous" in html  # la saisie reste
    data = form_data(code="accompagnement-individuel")
    response = client.post(reverse("protection-donnees-traitement-nouveau"), data)
    assert response.status_code == 422
    assert "Ce code est déjà celui d&#x27;un autre traitement" in response.content.decode()
    assert Processing.objects.filter(organisation=seeded).count() == len(DEFAULT_REGISTER)


def test_admin_edits_a_line_then_a_stale_edit_is_refused_with_both_versions(client, seeded, admin):
    processing = Processing.objects.get(organisation=seeded, code="actions-collectives")
    login_as(client, admin)
    url = reverse("protection-donnees-traitement", args=[processing.pk])
    stale = form_data(processing, recipients="Version de l'autre onglet")
    response = client.post(url, form_data(processing, recipients="Agents du service social"))
    assert response.status_code == 302
    processing.refresh_from_db()
    assert processing.version == 2 and processing.recipients == "Agents du service social"
    entry = AuditEntry.objects.filter(object_id=str(processing.pk)).latest("pk")
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes["recipients"]["apres"] == "Agents du service social"
    assert entry.summary.endswith("modifié (version 2)")

    response = client.post(url, stale)  # saisie commencée sur la version 1
    assert response.status_code == 409
    html = response.content.decode()
    assert "Un autre administrateur a modifié ce traitement pendant votre saisie" in html
    assert "Version de l&#x27;autre onglet" in html  # la saisie refusée, dans le formulaire
    assert "Version enregistrée (2" in html and "Agents du service social" in html
    processing.refresh_from_db()
    assert processing.recipients == "Agents du service social" and processing.version == 2
    # renvoyée depuis la page du conflit (version 2), la saisie passe
    response = client.post(url, stale | {"version": 2})
    assert response.status_code == 302
    processing.refresh_from_db()
    assert processing.recipients == "Version de l'autre onglet" and processing.version == 3


def test_admin_removes_a_line_audited(client, seeded, admin):
    processing = Processing.objects.get(organisation=seeded, code="api-partenaires")
    login_as(client, admin)
    url = reverse("protection-donnees-traitement-suppression", args=[processing.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"version": 0}).status_code == 409
    assert client.post(url, {"version": processing.version}).status_code == 302
    assert not Processing.objects.filter(pk=processing.pk).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE, object_type="processing")
    assert entry.object_id == str(processing.pk)
    assert entry.changes["name"]["avant"] == "Interface de programmation des partenaires (API)"


def test_register_seed_button(client, org, admin):
    login_as(client, admin)
    assert "Initialiser le registre" in client.get(reverse("protection-donnees")).content.decode()
    response = client.post(reverse("protection-donnees-registre-initialiser"))
    assert response.status_code == 302
    assert Processing.objects.filter(organisation=org).count() == len(DEFAULT_REGISTER)
    response = client.post(reverse("protection-donnees-registre-initialiser"), follow=True)
    assert "Le registre existe déjà" in response.content.decode()


# --- lecture et PDF --------------------------------------------------------------------------


def test_dpo_reads_the_register_and_downloads_the_pdf(client, seeded, dpo):
    login_as(client, dpo)
    home = client.get(reverse("protection-donnees"))
    html = home.content.decode()
    assert "Registre des traitements" in html and "Durées de conservation" in html
    assert "Accompagnement social individuel" in html
    assert "Valeurs par défaut" in html  # l'organisme n'a pas enregistré ses durées
    assert "Initialiser le registre" not in html and "Modifier les durées" not in html
    register = client.get(reverse("protection-donnees-registre")).content.decode()
    assert "Décret n° 2019-341 du 19 avril 2019" in register
    assert "Ajouter un traitement" not in register and "Modifier<" not in register
    response = client.get(reverse("protection-donnees-registre-pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_tagged_pdf(response.content)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == dpo
    assert entry.summary == "Registre des traitements (9 traitements, PDF)"


def test_the_dpo_lands_on_privacy_and_sees_the_menu_entry(client, seeded, dpo):
    login_as(client, dpo)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("protection-donnees")
    assert 'href="/protection-donnees/" aria-current="page">Protection des données' in (
        response.content.decode()
    )


# --- droits ------------------------------------------------------------------------------


ROLES = {
    "AS": {"function": "AS"},
    "accueil": {"function": "CSAM"},
    "manager": {"function": "MANAGER"},
    "pilotage": {"function": "PILOTAGE"},
}


def _urls(processing):
    return {
        "accueil": reverse("protection-donnees"),
        "registre": reverse("protection-donnees-registre"),
        "pdf": reverse("protection-donnees-registre-pdf"),
        "conservation": reverse("protection-donnees-conservation"),
        "nouveau": reverse("protection-donnees-traitement-nouveau"),
        "modifier": reverse("protection-donnees-traitement", args=[processing.pk]),
        "retirer": reverse("protection-donnees-traitement-suppression", args=[processing.pk]),
    }


@pytest.mark.parametrize("role", sorted(ROLES))
def test_other_roles_get_404_everywhere(client, seeded, role):
    user = UserFactory(organisation=seeded, **ROLES[role])
    login_as(client, user)
    processing = Processing.objects.filter(organisation=seeded).first()
    for name, url in _urls(processing).items():
        assert client.get(url).status_code == 404, (role, name)
        assert client.post(url, form_data(processing)).status_code == 404, (role, name)
    assert client.post(reverse("protection-donnees-registre-initialiser")).status_code == 404
    assert "Protection des données" not in client.get("/", follow=True).content.decode()


def test_dpo_reads_but_never_writes(client, seeded, dpo):
    login_as(client, dpo)
    processing = Processing.objects.filter(organisation=seeded).first()
    urls = _urls(processing)
    for name in ("accueil", "registre", "pdf", "conservation"):
        assert client.get(urls[name]).status_code == 200, name
    for name in ("nouveau", "modifier", "retirer"):
        assert client.get(urls[name]).status_code == 404, name
        assert client.post(urls[name], form_data(processing)).status_code == 404, name
    values = {
        "closed_files_years": 2,
        "unreached_targets_months": 12,
        "import_files_months": 3,
        "audit_years": 5,
    }
    assert client.post(urls["conservation"], values).status_code == 404
    assert client.post(reverse("protection-donnees-registre-initialiser")).status_code == 404
    assert not RetentionRules.objects.exists()
    assert Processing.objects.get(pk=processing.pk).version == 1


def test_admin_reads_and_writes(client, seeded, admin):
    login_as(client, admin)
    processing = Processing.objects.filter(organisation=seeded).first()
    for name, url in _urls(processing).items():
        assert client.get(url).status_code == 200, name


def test_other_organisation_gets_404(client, seeded, other_org):
    processing = Processing.objects.filter(organisation=seeded).first()
    for user in (
        UserFactory(organisation=other_org, admin=True),
        UserFactory(organisation=other_org, function="", is_dpo=True),
    ):
        login_as(client, user)
        for name in ("modifier", "retirer"):
            url = _urls(processing)[name]
            assert client.get(url).status_code == 404, name
            assert client.post(url, form_data(processing)).status_code == 404, name
        # son propre registre est vide : celui de l'autre organisme n'y paraît pas
        html = client.get(reverse("protection-donnees-registre")).content.decode()
        assert "Accompagnement social individuel" not in html
    assert Processing.objects.get(pk=processing.pk).version == 1
