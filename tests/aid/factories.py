"""Fabriques des aides : tout passe par les services."""

import datetime
import zoneinfo
from decimal import Decimal

from parcours.aid import services
from parcours.aid.models import Aid
from parcours.partners.models import Convention, Partner

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 6, 15)
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)

ALL_C = dict.fromkeys(["COH", "ORI", "TOI", "HAB", "ALI", "ELI", "TRA", "DPI", "DPE", "COM"], "C")
ALL_A = dict.fromkeys(ALL_C, "A")
GIR5 = ALL_A | {"TOI": "B"}


def install_catalogue(org, actor):
    services.install_catalogue(actor=actor, organisation_id=org.pk, current_year=TODAY.year)


def aid(org, code, year=TODAY.year) -> Aid:
    return Aid.objects.get(
        organisation=org, code=code, regulation__starts_on=datetime.date(year, 1, 1)
    )


def make_evaluation(*, person, actor, grid=None, on=datetime.date(2026, 6, 1), **kwargs):
    return services.record_evaluation(
        actor=actor,
        person=person,
        evaluated_on=on,
        kind=kwargs.pop("kind", "PREMIERE_DEMANDE"),
        situation=kwargs.pop("situation", "Vit seule, escaliers difficiles."),
        grid=grid or GIR5,
        plan=kwargs.pop("plan", [("AIDE_MENAGERE", Decimal("12"), "")]),
        **kwargs,
    )


def make_convention(org, partner="Carsat Bourgogne-Franche-Comté", price="152.45", end=None):
    """Une convention d'évaluation de l'annuaire (prix à l'acte), depuis le 1er janvier 2025."""
    return Convention.objects.create(
        partner=Partner.objects.create(organisation=org, kind="SECURITE_SOCIALE", name=partner),
        object="Évaluations des besoins",
        unit_price=Decimal(price),
        start=datetime.date(2025, 1, 1),
        end=end,
    )


def make_request(
    *,
    person,
    actor,
    code="cpam-secours-urgence",
    on=datetime.date(2026, 6, 2),
    channel="TRAVAILLEUR_SOCIAL",
    facts=None,
    **kwargs,
):  # noqa: E501
    return services.create_request(
        actor=actor,
        person=person,
        aid=aid(person.organisation, code, on.year),
        received_on=on,
        channel=channel,
        facts=facts or {},
        **kwargs,
    )


def ready_request(*, person, actor, code="cpam-secours-urgence", facts=None, **kwargs):
    """Une demande complète, avec avis favorable : prête pour la décision."""
    request = make_request(person=person, actor=actor, code=code, facts=facts, **kwargs)
    request = services.declare_complete(actor=actor, request=request, on=request.received_on)
    return services.give_opinion(actor=actor, request=request, favourable=True, opinion="Urgence.")
