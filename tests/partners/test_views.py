"""Pages de l'annuaire : recherche, fiche, formulaires, saisies refusées, échéances."""

import datetime

import pytest
from django.urls import reverse

from parcours.core.models import Commune
from parcours.partners.models import Convention, Partner, PartnerContact
from tests.conftest import login_as
from tests.factories import UserFactory
from tests.partners.factories import make_convention, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(org, manager):
    return {
        "ccas": make_partner(org=org, actor=manager, name="CCAS de Bourg", territories=["01"]),
        "mdph": make_partner(
            org=org, actor=manager, name="MDPH du Rhône", kind=Partner.Kind.MDPH, territories=["69"]
        ),
        "cap": make_partner(
            org=org,
            actor=manager,
            name="Cap emploi Ain",
            kind=Partner.Kind.CAP_EMPLOI,
            territories=["01", "69"],
        ),
    }


def names(response):
    return {p.name for p in response.context["page"]}


def test_search_and_filters(client, manager, directory):
    login_as(client, manager)
    url = reverse("partenaires")
    assert names(client.get(url)) == {"CCAS de Bourg", "MDPH du Rhône", "Cap emploi Ain"}
    assert names(client.get(url, {"q": "cap"})) == {"Cap emploi Ain"}
    assert names(client.get(url, {"type": "MDPH"})) == {"MDPH du Rhône"}
    assert names(client.get(url, {"departement": "01"})) == {"CCAS de Bourg", "Cap emploi Ain"}
    assert names(client.get(url, {"departement": "69", "q": "rhône"})) == {"MDPH du Rhône"}
    assert client.get(url, {"type": "HOPITAL"}).status_code == 400
    assert client.get(url, {"departement": "75"}).status_code == 400
    assert client.get(url, {"q": "a\x00b"}).status_code == 400


def test_detail_shows_contacts_and_conventions_with_status(client, manager, directory, today):
    ccas = directory["ccas"]
    make_convention(
        partner=ccas,
        actor=manager,
        object="Accueil des retraités",
        start=datetime.date(2026, 1, 1),
        end=today + datetime.timedelta(days=30),
    )
    make_convention(
        partner=ccas,
        actor=manager,
        object="Ancienne convention",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    )
    from parcours.partners import services

    services.create_contact(
        actor=manager, partner=ccas, data={"name": "Mme Durand", "phone": "04 74 00 00 00"}
    )
    login_as(client, UserFactory(organisation=manager.organisation, front_line=True))
    body = client.get(reverse("partenaire", args=[ccas.pk])).content.decode()
    assert "Mme Durand" in body and "04 74 00 00 00" in body
    assert "du 01/01/2026 au 02/01/2027" in body
    assert "Expire bientôt" in body and "Expirée" in body
    assert "Modifier le partenaire" not in body  # l'accueil lit seulement


def test_manager_creates_partner_contact_convention(client, manager, today):
    login_as(client, manager)
    commune = Commune.objects.filter(departement_id="01").first()
    response = client.post(
        reverse("partenaire-nouveau"),
        {
            "kind": "CLIC",
            "name": "CLIC de la Dombes",
            "siret": "732 829 320 00074",
            "address": "1 rue de la Paix",
            "commune_code": commune.code,
            "territories": ["01"],
            "active": "on",
        },
    )
    partner = Partner.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partenaire", args=[partner.pk])
    assert (partner.organisation_id, partner.siret, partner.commune_id) == (
        manager.organisation_id,
        "73282932000074",
        commune.code,
    )
    assert list(partner.territories.values_list("code", flat=True)) == ["01"]
    client.post(
        reverse("partenaire-contact-nouveau", args=[partner.pk]),
        {"name": "M. Martin", "function": "Coordinateur", "phone": "0474000000", "email": ""},
    )
    assert PartnerContact.objects.get().phone == "04 74 00 00 00"
    response = client.post(
        reverse("partenaire-convention-nouvelle", args=[partner.pk]),
        {
            "object": "Évaluations à domicile",
            "start": "2026-01-01",
            "end": "2027-01-02",
            "territories": ["01"],
            "services": "Évaluations",
            "unit_price": "120.50",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    convention = Convention.objects.get()
    assert str(convention.unit_price) == "120.50"
    # modification
    client.post(
        reverse("partenaire-convention-modifier", args=[convention.pk]),
        {"object": "Évaluations", "start": "2026-01-01", "end": "2027-06-30", "unit_price": ""},
    )
    convention.refresh_from_db()
    assert (convention.object, convention.end, convention.unit_price) == (
        "Évaluations",
        datetime.date(2027, 6, 30),
        None,
    )
    team = client.get(reverse("equipe")).content.decode()
    assert "Conventions à échéance" not in team


def test_bad_input_french_messages_nothing_lost(client, manager, directory):
    login_as(client, manager)
    response = client.post(
        reverse("partenaire-nouveau"),
        {"kind": "CCAS", "name": "CCAS de Belley", "siret": "73282932000075", "address": "2 place"},
    )
    assert response.status_code == 422  # erreurs : formulaire rempli, 422
    assert response.context["form"].errors["siret"] == [
        "Numéro SIRET invalide : 14 chiffres dont le dernier est une clé de contrôle "
        "(vérifiez la saisie)."
    ]
    body = response.content.decode()
    assert 'value="CCAS de Belley"' in body and 'value="2 place"' in body
    ccas = directory["ccas"]
    response = client.post(
        reverse("partenaire-contact-nouveau", args=[ccas.pk]),
        {"name": "Mme Blanc", "phone": "abc", "email": "pas-un-courriel"},
    )
    errors = response.context["form"].errors
    assert errors["phone"][0].startswith("Numéro de téléphone invalide")
    assert errors["email"] == ["Adresse de courriel invalide (par exemple nom@exemple.fr)."]
    assert 'value="Mme Blanc"' in response.content.decode()
    response = client.post(
        reverse("partenaire-convention-nouvelle", args=[ccas.pk]),
        {"object": "Accueil", "start": "2026-05-02", "end": "2026-05-01", "unit_price": "-3"},
    )
    errors = response.context["form"].errors
    assert errors["unit_price"] == ["Le prix unitaire ne peut pas être négatif."]
    assert "end" in errors and "début" in errors["end"][0]
    assert 'value="Accueil"' in response.content.decode()
    assert Partner.objects.count() == 3
    assert not PartnerContact.objects.exists() and not Convention.objects.exists()


@pytest.mark.parametrize(
    ("days", "flagged"), [(-1, False), (0, True), (30, True), (60, True), (61, False)]
)
def test_expiring_convention_on_manager_page(client, manager, directory, today, days, flagged):
    make_convention(
        partner=directory["mdph"],
        actor=manager,
        object="Convention d'orientation",
        start=datetime.date(2026, 1, 1),
        end=today + datetime.timedelta(days=days),
    )
    login_as(client, manager)
    body = client.get(reverse("equipe")).content.decode()
    assert ("Convention d&#x27;orientation" in body) is flagged
    assert ("Conventions à échéance dans les 60 jours" in body) is flagged


def test_foreign_expiring_convention_not_on_manager_page(
    client, manager, foreign_manager, other_org, today
):
    foreign = make_partner(org=other_org, actor=foreign_manager, name="Ailleurs")
    make_convention(partner=foreign, actor=foreign_manager, end=today + datetime.timedelta(days=10))
    login_as(client, manager)
    assert "Ailleurs" not in client.get(reverse("equipe")).content.decode()


def test_partner_code_is_set_in_the_form_unique_in_the_directory(
    client, manager, directory, other_org
):
    """Le code du partenaire (celui de « parcours jeton-api --partenaire CODE ») se saisit dans
    le formulaire de l'annuaire, se lit sur la page du partenaire, est unique dans l'annuaire."""
    import io

    from django.core.management import call_command

    from parcours.api.models import ApiToken

    login_as(client, manager)
    url = reverse("partenaire-nouveau")
    response = client.post(
        url, {"kind": "CLIC", "name": "CLIC de la Dombes", "code": "clic-dombes"}
    )
    partner = Partner.objects.get(name="CLIC de la Dombes")
    assert response.status_code == 302 and partner.code == "clic-dombes"
    page = client.get(reverse("partenaire", args=[partner.pk])).content.decode()
    assert "<dt>Code</dt><dd><code>clic-dombes</code></dd>" in page

    # le même code dans l'annuaire : refusé, nommé, rien de perdu
    again = client.post(url, {"kind": "CCAS", "name": "CCAS de Belley", "code": "clic-dombes"})
    assert again.status_code == 422
    assert again.context["form"].errors["code"] == [
        "Ce code désigne déjà un autre partenaire de l'annuaire."
    ]
    assert 'value="CCAS de Belley"' in again.content.decode()
    # pas un code : espaces, accents
    bad = client.post(url, {"kind": "CCAS", "name": "CCAS de Belley", "code": "CCAS Belley é"})
    assert bad.status_code == 422
    assert bad.context["form"].errors["code"][0].startswith("Lettres sans accent, chiffres")
    assert not Partner.objects.filter(name="CCAS de Belley").exists()
    # un autre organisme peut avoir le même code ; plusieurs partenaires sans code
    make_partner(org=other_org, actor=None, name="CLIC ailleurs", code="clic-dombes")
    assert client.post(url, {"kind": "CCAS", "name": "CCAS de Belley"}).status_code == 302

    # la modification montre le code et le change ; le même que le sien est permis
    edit = reverse("partenaire-modifier", args=[partner.pk])
    assert 'value="clic-dombes"' in client.get(edit).content.decode()
    kept = {"kind": "CLIC", "name": "CLIC de la Dombes", "code": "clic-dombes", "active": "on"}
    assert client.post(edit, kept).status_code == 302
    taken = directory["ccas"]
    client.post(reverse("partenaire-modifier", args=[taken.pk]), {**kept, "code": "ccas-bourg"})
    refused = client.post(edit, {**kept, "code": "ccas-bourg"})
    assert refused.context["form"].errors["code"] == [
        "Ce code désigne déjà un autre partenaire de l'annuaire."
    ]
    assert client.post(edit, {**kept, "code": "clic-01"}).status_code == 302
    partner.refresh_from_db()
    assert partner.code == "clic-01"

    # la commande des jetons désigne ce partenaire par ce code (sans en créer un autre)
    call_command(
        "jeton-api",
        organisation=manager.organisation.code,
        partenaire="clic-01",
        portees="collectif:lire",
        stdout=io.StringIO(),
    )
    assert ApiToken.objects.get().partner == partner
    assert Partner.objects.filter(organisation=manager.organisation).count() == 5
