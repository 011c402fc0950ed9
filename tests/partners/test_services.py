"""Écritures de l'annuaire : chacune laisse sa ligne au journal ; règles refusées au service."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry, Commune, Departement
from parcours.partners import services
from parcours.partners.models import Convention, Partner
from tests.partners.factories import make_convention, make_partner

pytestmark = pytest.mark.django_db


def entries(obj):
    return list(
        AuditEntry.objects.filter(object_id=str(obj.pk), object_type=obj._meta.model_name)
        .order_by("pk")
        .values_list("action", "summary", "changes")
    )


def test_create_and_update_partner_are_audited(org, manager):
    partner = make_partner(
        org=org, actor=manager, siret="732 829 320 00074", territories=["01", "69"]
    )
    assert partner.organisation_id == org.pk
    assert partner.siret == "73282932000074"
    assert set(partner.territories.values_list("code", flat=True)) == {"01", "69"}
    commune = Commune.objects.filter(departement_id="01").first()
    services.update_partner(
        actor=manager,
        partner=partner,
        data={"kind": Partner.Kind.CCAS, "name": "CCAS de Bourg", "commune": commune},
        territories=Departement.objects.filter(code="01"),
    )
    rows = entries(partner)
    assert [(a, s) for a, s, _ in rows] == [
        (AuditEntry.Action.CREATE, "Partenaire créé"),
        (AuditEntry.Action.UPDATE, "Partenaire modifié"),
    ]
    assert rows[0][2]["name"] == {"avant": None, "apres": "CCAS de Bourg-en-Bresse"}
    assert rows[1][2]["name"] == {"avant": "CCAS de Bourg-en-Bresse", "apres": "CCAS de Bourg"}
    assert rows[1][2]["commune"] == {"avant": None, "apres": commune.pk}


def test_partner_bad_siret_and_kind_refused(org, manager):
    with pytest.raises(BusinessError) as error:
        make_partner(org=org, actor=manager, siret="73282932000075")
    assert "SIRET invalide" in error.value.errors["siret"]
    with pytest.raises(BusinessError):
        make_partner(org=org, actor=manager, kind="HOPITAL")
    assert not Partner.objects.exists()


def test_contact_and_convention_are_audited(org, manager):
    partner = make_partner(org=org, actor=manager)
    contact = services.create_contact(
        actor=manager,
        partner=partner,
        data={"name": "Mme Durand", "function": "Directrice", "phone": "04 74 00 00 00"},
    )
    services.update_contact(
        actor=manager,
        contact=contact,
        data={"name": "Mme Durand", "function": "Directrice adjointe"},
    )
    convention = make_convention(partner=partner, actor=manager, unit_price=Decimal("120.50"))
    services.update_convention(
        actor=manager,
        convention=convention,
        data={
            "object": "Évaluations",
            "start": convention.start,
            "end": datetime.date(2027, 6, 30),
        },
    )
    assert [s for _, s, _ in entries(contact)] == [
        "Contact du partenaire créé",
        "Contact du partenaire modifié",
    ]
    assert [s for _, s, _ in entries(convention)] == ["Convention créée", "Convention modifiée"]
    assert entries(convention)[1][2]["end"] == {"avant": "2026-12-31", "apres": "2027-06-30"}


def test_convention_rules_refused(org, manager):
    partner = make_partner(org=org, actor=manager)
    with pytest.raises(BusinessError) as error:
        make_convention(
            partner=partner,
            actor=manager,
            start=datetime.date(2026, 5, 1),
            end=datetime.date(2026, 4, 30),
        )
    assert "end" in error.value.errors
    with pytest.raises(BusinessError) as error:
        make_convention(partner=partner, actor=manager, unit_price=Decimal("-1"))
    assert "unit_price" in error.value.errors
    # même jour : permis
    make_convention(
        partner=partner,
        actor=manager,
        start=datetime.date(2026, 5, 1),
        end=datetime.date(2026, 5, 1),
    )
    assert Convention.objects.count() == 1


def test_database_refuses_end_before_start_and_negative_price(org, manager):
    partner = make_partner(org=org, actor=manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.create(
            partner=partner,
            object="x",
            start=datetime.date(2026, 5, 2),
            end=datetime.date(2026, 5, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.create(
            partner=partner,
            object="x",
            start=datetime.date(2026, 5, 1),
            end=datetime.date(2026, 5, 1),
            unit_price=Decimal("-0.01"),
        )
