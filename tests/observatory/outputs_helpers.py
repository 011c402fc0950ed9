"""Fabriques des tests des sorties de l'observatoire (lignes, commande) : une année d'agrégats
écrite par ``store_year`` et des actions collectives tenues (écrites par les services)."""

import datetime

from parcours.core import clock
from parcours.core.models import Commune
from parcours.groups import services as group_services
from parcours.observatory.models import ObservatoryImport
from parcours.observatory.services.aggregates import CommuneTotals, store_year

#: « aujourd'hui » des tests : l'année 2025 est close, 2026 commence
TODAY = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)


def store(org, totals, year=2025):
    """L'année ``year`` de ``org`` à partir de (code, retraités, 60 ans et plus, somme)."""
    source = ObservatoryImport.objects.create(
        organisation=org,
        year=year,
        file_name="retraites.csv",
        file_sha256=f"{year:064d}",
    )
    return store_year(source=source, totals=[CommuneTotals(*t) for t in totals])


def communes(departement="01", n=5, start=0):
    """Les codes de ``n`` communes réelles du département, dans l'ordre des codes."""
    return list(
        Commune.objects.filter(departement_id=departement)
        .order_by("code")
        .values_list("code", flat=True)[start : start + n]
    )


def action(org, actor, *, title="Atelier mémoire", departement="01", programme="BIEN_VIEILLIR"):
    return group_services.create_action(
        actor=actor,
        organisation_id=org.pk,
        data={
            "type": "ATELIER",
            "programme": programme,
            "title": title,
            "departement_id": departement,
        },
    )


def session(
    act,
    actor,
    day,
    *,
    commune=None,
    site=None,
    partner=None,
    video=False,
    place="Salle des fêtes",
):
    """Une séance de ``act`` le jour ``day`` (écrite par le service, horloge figée avant)."""
    with clock.frozen(datetime.datetime(2020, 1, 1, 9, tzinfo=datetime.UTC)):
        return group_services.add_session(
            actor=actor,
            action=act,
            date=day,
            start_time=datetime.time(14),
            capacity=12,
            site=site,
            partner=partner,
            video=video,
            partner_place="" if (site or partner or video) else place,
            commune=None if commune is None else Commune.objects.get(code=commune),
        )
