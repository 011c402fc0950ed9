"""L'anonymisation d'une personne à l'échéance de sa durée de conservation (formats.md §8).

Ce qui est effacé : l'identité (noms, prénoms, NIR chiffré, son empreinte et son masque, clés de
recherche), les coordonnées (adresse, code postal, téléphone, courriel, langue), le jour et le
mois de naissance (la date devient le 1er juillet de l'année : l'âge au 31 décembre d'une année,
seul âge que comptent le rapport et les indicateurs, ne dépend que de l'année), et tout texte
libre qui peut dire quelque chose de la personne, sous-domaine par sous-domaine (une fonction
chacun ci-dessous).

Ce qui reste : sexe, année de naissance, commune, département, codes (programme, origine, issue,
risque, secteur, mode, actions, problématiques, statuts, GIR…), dates, durées et montants — tout ce
que comptent le rapport d'activité, les indicateurs et les évolutions. Les liens ne bougent pas
(clés étrangères intactes) : fusions, signalements, orientations et parcours partagés qui
pointaient vers la personne pointent toujours vers la même fiche, vidée de son contenu.

Le journal d'audit n'est pas réécrit (il est en ajout seul) : ses entrées suivent leur propre
durée de conservation (``purge.purge_audit``). Voir docs/decisions.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db import transaction
from django.db.models import CharField, DateField, F, Value
from django.db.models.functions import Cast, Concat, ExtractYear

from parcours.aid.models import AidRequest, Evaluation, Overpayment, PlanLine
from parcours.cases.models import Case, Contact, Objective, PrivateNote
from parcours.core import audit
from parcours.core.models import User
from parcours.groups.models import Answer
from parcours.outreach.models import AppointmentRequest, FrontLineContact, Referral
from parcours.people.models import Person
from parcours.sharing.models import (
    Consent,
    Disclosure,
    Orientation,
    OrientationEvent,
    PathwayStep,
    PathwaySynthesis,
    SharedPathway,
)

#: ce qui remplace un texte effacé
ERASED = ""
#: jour et mois gardés de la date de naissance (l'année seule compte)
KEPT_DAY = (7, 1)


def kept_birth_date(birth_date: datetime.date) -> datetime.date:
    """La date de naissance d'une fiche anonymisée : le 1er juillet de la même année."""
    return datetime.date(birth_date.year, *KEPT_DAY)


def _identity(ids: Collection[int], on: datetime.date) -> None:
    people = Person.objects.filter(pk__in=ids, anonymised_on__isnull=True)
    people.update(
        # le 1er juillet de l'année de naissance (``kept_birth_date``), en une requête
        birth_date=Cast(
            Concat(
                Cast(ExtractYear("birth_date"), CharField()),
                Value("-%02d-%02d" % KEPT_DAY),  # noqa: UP031
                output_field=CharField(),
            ),
            DateField(),
        ),
        last_name=ERASED,
        birth_name=ERASED,
        first_names=ERASED,
        address=ERASED,
        postal_code=ERASED,
        phone=ERASED,
        email=ERASED,
        language=ERASED,
        nir_encrypted=ERASED,
        nir_hash=ERASED,
        nir_masked=ERASED,
        last_name_key=ERASED,
        birth_name_key=ERASED,
        first_name_key=ERASED,
        name_phonetic=ERASED,
        phone_digits=ERASED,
        anonymised_on=on,
        version=F("version") + 1,
    )


def _cases(ids: Collection[int]) -> None:
    Case.objects.filter(person_id__in=ids).update(synthesis=ERASED)
    Contact.objects.filter(case__person_id__in=ids).update(note=ERASED)
    Objective.objects.filter(case__person_id__in=ids).update(label=ERASED)
    PrivateNote.objects.filter(case__person_id__in=ids).update(text=ERASED)


def _aid(ids: Collection[int]) -> None:
    Evaluation.objects.filter(person_id__in=ids).update(situation=ERASED)
    PlanLine.objects.filter(evaluation__person_id__in=ids).update(note=ERASED)
    AidRequest.objects.filter(person_id__in=ids).update(opinion=ERASED, decision_reason=ERASED)
    Overpayment.objects.filter(request__person_id__in=ids).update(reason=ERASED)


def _outreach(ids: Collection[int]) -> None:
    Referral.objects.filter(person_id__in=ids).update(
        emitter_name=ERASED, emitter_address=ERASED, reason=ERASED
    )
    FrontLineContact.objects.filter(person_id__in=ids).update(reason=ERASED, message=ERASED)
    AppointmentRequest.objects.filter(person_id__in=ids).update(reason=ERASED)


def _sharing(ids: Collection[int]) -> None:
    Consent.objects.filter(person_id__in=ids).update(
        representative_name=ERASED, purpose=ERASED, withdrawal_reason=ERASED
    )
    Disclosure.objects.filter(person_id__in=ids).update(label=ERASED)
    SharedPathway.objects.filter(person_id__in=ids).update(label=ERASED, outcome=ERASED)
    PathwayStep.objects.filter(pathway__person_id__in=ids).update(text=ERASED)
    PathwaySynthesis.objects.filter(pathway__person_id__in=ids).update(text=ERASED)
    Orientation.objects.filter(person_id__in=ids).update(request=ERASED, answer_comment=ERASED)
    OrientationEvent.objects.filter(orientation__person_id__in=ids).update(comment=ERASED)


def _groups(ids: Collection[int]) -> None:
    Answer.objects.filter(response__invitation__person_id__in=ids).exclude(text="").update(
        text=ERASED
    )


#: les sous-domaines, dans l'ordre : l'identité d'abord (la fiche marquée anonymisée)
SUBDOMAINS = (_cases, _aid, _outreach, _sharing, _groups)


def with_duplicates(ids: Collection[int]) -> list[int]:
    """``ids`` et les fiches fusionnées dans l'une d'elles (à toute profondeur)."""
    found, frontier = set(ids), set(ids)
    while frontier:
        frontier = (
            set(Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True))
            - found
        )
        found |= frontier
    return sorted(found)


def anonymise(
    *, organisation_id: int, ids: Collection[int], on: datetime.date, actor: User | None = None
) -> list[int]:
    """Anonymise les personnes ``ids`` (et leurs doublons fusionnés) **dans une transaction** :
    une coupure au milieu ne laisse aucune fiche à moitié anonymisée, et une reprise saute les
    fiches déjà faites. Une ligne d'audit par personne (sans rien de ce qui a été effacé).
    Renvoie les personnes anonymisées par cet appel (doublons compris)."""
    with transaction.atomic():
        every = with_duplicates(ids)
        todo = list(
            Person.objects.select_for_update()
            .filter(pk__in=every, organisation_id=organisation_id, anonymised_on__isnull=True)
            .values_list("pk", flat=True)
        )
        if not todo:
            return []
        for erase in SUBDOMAINS:
            erase(todo)
        _identity(todo, on)
        for pk in todo:
            audit.record(
                actor=actor,
                action="UPDATE",
                object_type="person",
                object_id=str(pk),
                person_id=pk,
                organisation_id=organisation_id,
                summary="Fiche anonymisée (durée de conservation échue)",
                changes={"anonymised_on": {"avant": None, "apres": on.isoformat()}},
            )
        return todo
