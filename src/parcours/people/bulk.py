"""Création de personnes en masse (imports) : mêmes règles que ``services.create_person``.

Clés de recherche (``derive_search_keys``), NIR validé, chiffré, haché et masqué (``set_nir``),
créateur ; les lignes sont écrites par le moteur commun (``core/bulk.py``) et comptées dans
l'audit du lot (:class:`parcours.core.bulk.BatchAudit`) au lieu d'une entrée par fiche.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.db import transaction

from parcours.core import bulk
from parcours.core.models import Organisation, User
from parcours.people.models import Person
from parcours.people.services import derive_search_keys, set_nir


@dataclass(slots=True)
class NewPerson:
    """Une fiche à créer ; ``nir`` en clair (validé ici, jamais stocké en clair)."""

    last_name: str
    first_names: str
    sex: str
    birth_date: date
    departement_id: str
    commune_id: str | None = None
    nir: str | None = None
    birth_name: str = ""
    phone: str = ""
    address: str = ""
    postal_code: str = ""
    email: str = ""
    status: str = ""


@transaction.atomic(savepoint=False)
def create_people(
    *,
    actor: User | None,
    organisation: Organisation,
    people: Sequence[NewPerson],
    audit: bulk.BatchAudit | None,
) -> list[int]:
    """Crée les fiches de ``people`` et renvoie leurs identifiants, dans l'ordre.

    Un NIR invalide lève ``nir.NirError`` (l'appelant valide avant : rien n'est écrit). Sans
    ``audit``, l'appelant journalise lui-même chaque fiche (le ciblage : une entrée par ligne).
    """
    org_id = organisation.pk
    created_by_id = actor.pk if actor is not None and actor.pk else None
    records = []
    for p in people:
        person = SimpleNamespace(
            last_name=p.last_name, birth_name=p.birth_name, first_names=p.first_names, phone=p.phone
        )
        derive_search_keys(person)
        set_nir(person, p.nir or None)
        records.append(
            vars(person)
            | {
                "organisation_id": org_id,
                "sex": p.sex,
                "birth_date": p.birth_date,
                "commune_id": p.commune_id,
                "departement_id": p.departement_id,
                "address": p.address,
                "postal_code": p.postal_code,
                "email": p.email,
                "status": p.status,
                "created_by_id": created_by_id,
            }
        )
    ids = bulk.insert_records(Person, records)
    if audit is not None:
        audit.add("person", len(ids))
    return ids
