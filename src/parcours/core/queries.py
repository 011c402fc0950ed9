"""Lectures partagées de l'organisme : les agents par fonction et par territoire, les communes
sans secteur, les appareils de second facteur d'un agent ; le nombre de jours entre deux dates,
calculé par la base."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Func, IntegerField, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.core.models import Commune, User
from parcours.core.nomenclatures import Fonction

if TYPE_CHECKING:
    from parcours.core.models import Organisation


class DaysBetween(Func):
    """``DaysBetween("sent_on", "answered_on")`` : les jours de la première date à la seconde
    (``NULL`` si l'une manque), un entier calculé par la base — PostgreSQL soustrait deux dates,
    SQLite compare leurs jours juliens (sans la fonction Python que Django appelle à chaque ligne
    pour soustraire deux dates)."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        start, end = (compiler.compile(e) for e in self.get_source_expressions())
        return f"({end[0]} - {start[0]})", [*end[1], *start[1]]

    def as_sqlite(self, compiler, connection, **extra_context):
        start, end = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"CAST(julianday({end[0]}) - julianday({start[0]}) AS INTEGER)"
        return sql, [*end[1], *start[1]]


def social_workers(organisation_id: int, departement_code: str) -> QuerySet[User]:
    """Les AS actives de l'organisme qui interviennent dans le département."""
    return User.objects.filter(
        organisation_id=organisation_id,
        function=Fonction.AS,
        is_active=True,
        departements__code=departement_code,
    )


def communes_without_sector(organisation: Organisation) -> QuerySet[Commune]:
    """Les communes des départements couverts par l'organisme qu'aucun de ses secteurs n'a."""
    covered = list(organisation.departements.values_list("code", flat=True))
    return Commune.objects.filter(departement_id__in=covered).exclude(
        sector__organisation=organisation
    )


def enrolment_device(user: User, key: str) -> TOTPDevice:
    """L'appareil à montrer sur la page d'activation du second facteur : celui en attente de
    confirmation s'il existe, sinon un appareil non enregistré de clé ``key`` (gardée en
    session) ; il n'est créé qu'au premier code saisi (``services.start_totp_enrolment``)."""
    pending = totp_devices(user, confirmed=False).first()
    return pending or TOTPDevice(user=user, key=key, confirmed=False)


def totp_devices(user: User, *, confirmed: bool) -> QuerySet[TOTPDevice]:
    """Les appareils TOTP de l'agent, confirmés ou en attente de confirmation."""
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed)
