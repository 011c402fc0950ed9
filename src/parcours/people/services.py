"""Écritures sur les personnes : chaque fonction est une transaction qui écrit son audit."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Field, ForeignObjectRel, Q

from parcours.core import audit, clock, crypto
from parcours.core.exceptions import ConflictError
from parcours.core.models import AuditEntry, Departement, Site
from parcours.people.models import Person
from parcours.people.policies import visible_people
from parcours.rules import nir as nir_rules
from parcours.rules import text

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Iterator
    from types import SimpleNamespace

    from django.db.models import Model, QuerySet

    from parcours.core.models import User

IDENTITY_FIELDS = [
    "last_name",
    "birth_name",
    "first_names",
    "sex",
    "birth_date",
    "address",
    "postal_code",
    "commune",
    "departement",
    "phone",
    "email",
    "preferred_channel",
    "language",
    "status",
    "family_situation",
    "housing",
    "employment",
    "legal_protection",
    "long_term_illness",
    "gir",
]
_ACCEPTED = frozenset(IDENTITY_FIELDS) | {"commune_id", "departement_id"}


def derive_search_keys(person: Person | SimpleNamespace) -> None:
    """Clés de recherche dérivées des champs saisis (jamais saisies)."""
    person.last_name_key = text.name_key(person.last_name)
    person.birth_name_key = text.name_key(person.birth_name)
    person.first_name_key = " ".join(text.tokens(person.first_names))
    person.name_phonetic = text.phonetic(text.name_key(person.last_name))
    person.phone_digits = text.digits(person.phone)


def set_nir(person: Person | SimpleNamespace, nir: str | None) -> None:
    if not nir:
        person.nir_encrypted = person.nir_hash = person.nir_masked = ""
        return
    valid = nir_rules.validate(nir)
    person.nir_encrypted = crypto.encrypt(valid)
    person.nir_hash = crypto.blind_index(valid)
    person.nir_masked = nir_rules.mask(valid)


def nir_hash(raw: str) -> str | None:
    """L'empreinte d'un NIR saisi (complet, ou 13 caractères sans clé) ; None si invalide."""
    value = nir_rules.normalize(raw)
    if len(value) == 13:
        try:
            value = f"{value}{nir_rules.compute_key(value):02d}"
        except ValueError:
            return None
    try:
        return crypto.blind_index(nir_rules.validate(value))
    except nir_rules.NirError:
        return None


def find_duplicates(
    *,
    organisation_id: int,
    nir: str | None,
    last_name: str,
    first_names: str,
    birth_date: datetime.date | None,
    exclude_pk: int | None = None,
) -> QuerySet[Person]:
    """Doublons probables : même NIR, ou même nom (d'usage ou de naissance) et naissance."""
    condition = Q(birth_date=birth_date) & (
        Q(last_name_key=text.name_key(last_name)) | Q(birth_name_key=text.name_key(last_name))
    )
    if first_names:
        first = text.tokens(first_names)[:1]
        if first:
            condition &= Q(first_name_key__startswith=first[0])
    if nir:
        hashed = nir_hash(nir)
        if hashed:
            condition |= Q(nir_hash=hashed)
    queryset = Person.objects.filter(
        condition,
        organisation_id=organisation_id,
        merged_into__isnull=True,
        anonymised_on__isnull=True,
    )
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.select_related("departement")


@dataclass(frozen=True)
class ServiceContact:
    """Où s'adresser pour une fiche hors périmètre : le département et ses lieux d'accueil."""

    departement: Departement
    sites: list[Site]


@dataclass
class DuplicateCheck:
    """Ce que l'agent peut savoir des doublons probables d'une fiche qu'il crée.

    ``visible`` : les fiches de son périmètre (il peut les ouvrir) ; ``elsewhere`` : pour les
    fiches hors de son périmètre, seulement le service à contacter, jamais qui est la personne.
    """

    visible: list[Person] = dataclasses.field(default_factory=list)
    same_nir: bool = False
    elsewhere: list[ServiceContact] = dataclasses.field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.visible or self.elsewhere)


@transaction.atomic
def check_duplicates(
    *,
    actor: User,
    nir: str | None,
    last_name: str,
    first_names: str,
    birth_date: datetime.date | None,
    limit: int = 10,
) -> DuplicateCheck:
    """Les doublons probables d'une fiche à créer, vus depuis le périmètre de ``actor``.

    Une fiche hors périmètre ne se montre pas : l'agent apprend qu'une fiche existe ailleurs
    dans l'organisme et quel service joindre ; chaque correspondance hors périmètre est
    journalisée (qui a cherché, quelle fiche, sur quel critère — jamais le NIR saisi).
    """
    found = list(
        find_duplicates(
            organisation_id=actor.organisation_id or 0,
            nir=nir,
            last_name=last_name,
            first_names=first_names,
            birth_date=birth_date,
        ).order_by("pk")[:limit]
    )
    if not found:
        return DuplicateCheck()
    in_scope = set(
        visible_people(actor).filter(pk__in=[p.pk for p in found]).values_list("pk", flat=True)
    )
    hashed = nir_hash(nir) if nir else None
    result = DuplicateCheck(
        visible=[p for p in found if p.pk in in_scope],
        same_nir=bool(hashed) and any(p.nir_hash == hashed for p in found if p.pk in in_scope),
    )
    hidden = [p for p in found if p.pk not in in_scope]
    for person in hidden:
        audit.record(
            actor=actor,
            action=AuditEntry.Action.READ,
            obj=person,
            person_id=person.pk,
            summary="Doublon possible hors périmètre signalé sans l'identité (création de fiche)",
            changes={
                "critere": "NIR" if hashed and person.nir_hash == hashed else "nom et naissance",
                "departement": person.departement_id,
            },
        )
    departements = sorted({p.departement_id for p in hidden})
    sites: dict[str, list[Site]] = {code: [] for code in departements}
    for site in Site.objects.filter(
        organisation_id=actor.organisation_id or 0, departement_id__in=departements, active=True
    ).select_related("commune"):
        sites[site.departement_id].append(site)
    names = Departement.objects.in_bulk(departements)
    result.elsewhere = [
        ServiceContact(names[code], sorted(sites[code], key=lambda s: s.name))
        for code in departements
    ]
    return result


@transaction.atomic
def create_person(
    *, actor: User | None, organisation_id: int, data: dict, nir: str | None = None
) -> Person:
    person = Person(
        organisation_id=organisation_id,
        created_by=actor,
        **{k: v for k, v in data.items() if k in _ACCEPTED},
    )
    derive_search_keys(person)
    set_nir(person, nir)
    person.save()
    audit.record_write(
        actor=actor, obj=person, before=None, person_id=person.pk, summary="Création de la fiche"
    )
    return person


@transaction.atomic
def update_person(
    *,
    actor: User | None,
    person: Person,
    data: dict,
    expected_version: int,
    nir: str | None = None,
    change_nir: bool = False,
) -> Person:
    """Met à jour si la fiche est encore en ``expected_version`` ; sinon ConflictError."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != expected_version:
        raise ConflictError(current)
    before = audit.snapshot(current)  # le NIR n'y figure que masqué
    for key, value in data.items():
        if key in _ACCEPTED:
            setattr(current, key, value)
    derive_search_keys(current)
    if change_nir:
        set_nir(current, nir)
    current.version += 1
    current.save()
    audit.record_write(
        actor=actor,
        obj=current,
        before=before,
        person_id=current.pk,
        summary="Modification de la fiche",
    )
    return current


@transaction.atomic
def reveal_nir(*, actor: User, person: Person) -> str:
    """Le NIR en clair, pour un affichage explicite et journalisé."""
    value = crypto.decrypt(person.nir_encrypted)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.REVEAL_NIR,
        obj=person,
        person_id=person.pk,
        summary="Affichage du NIR en clair",
    )
    return value


def record_view(*, actor: User, person: Person) -> None:
    """Chaque affichage de la fiche d'une personne est journalisé (qui, quand)."""
    audit.record(
        actor=actor,
        action=AuditEntry.Action.READ,
        obj=person,
        person_id=person.pk,
        summary="Consultation de la fiche",
    )


def person_ids(rows: Iterable[object]) -> set[int]:
    """Les personnes distinctes de ``rows`` : des fiches, ou des objets qui en portent une
    (``person_id``, ou ``case.person_id`` pour un entretien, ``registration`` pour une présence)."""
    ids: set[int] = set()
    for row in rows:
        if isinstance(row, Person):
            ids.add(row.pk)
        elif (pk := getattr(row, "person_id", None)) is not None:
            ids.add(pk)
        elif (case := getattr(row, "case", None)) is not None:
            ids.add(case.person_id)
    return ids


def record_export(
    *,
    actor: User,
    what: str,
    people: Iterable[int],
    obj: Model | None = None,
    listing: bool = False,
    criteria: dict | None = None,
) -> None:
    """Chaque liste ou fichier qui montre ou remet des données personnelles en nombre est
    journalisé (``core.audit.record_export``) : qui, quand, quoi, combien de personnes
    distinctes (``people`` : leurs identifiants) et selon quels critères (jamais un nom ni un
    NIR saisi). ``listing`` : une liste à l'écran plutôt qu'un fichier remis."""
    audit.record_export(
        actor=actor,
        what=what,
        count=len(set(people)),
        obj=obj,
        listing=listing,
        criteria=criteria,
    )


def age(person: Person) -> int:
    from parcours.rules.calendar import age_on

    return age_on(person.birth_date, clock.today())


MERGE_FILLABLE = [
    "birth_name",
    "address",
    "postal_code",
    "commune",
    "phone",
    "email",
    "preferred_channel",
    "language",
    "status",
    "family_situation",
    "housing",
    "employment",
    "gir",
]


# Ce que deux fiches ne peuvent porter deux fois (contraintes d'unicité avec la personne).
_MERGE_CLASHES = {
    "groups.Invitation": "sont invitées à la même action collective",
    "groups.Registration": "sont inscrites à la même séance",
}


def _person_links() -> Iterator[tuple[type[Model], str]]:
    """Chaque clé étrangère vers ``Person`` depuis un autre modèle (sauf « fusionné dans »)."""
    for field in Person._meta.get_fields(include_hidden=True):
        if (
            isinstance(field, ForeignObjectRel)
            and field.one_to_many
            and field.related_model is not Person
        ):
            yield field.related_model, field.field.name


def _move_links(*, duplicate: Person, keep: Person) -> dict:
    """Fait passer à ``keep`` tout ce qui désigne ``duplicate`` ; refuse si deux lignes se
    retrouveraient en double (deux inscriptions à la même séance, par exemple)."""
    from django.db.models import UniqueConstraint

    from parcours.core.exceptions import BusinessError

    links = list(_person_links())
    reasons = []
    for model, name in links:
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if not isinstance(constraint, UniqueConstraint) or name not in fields:
                continue
            others = [f for f in fields if f != name]
            kept = set(model._default_manager.filter(**{name: keep}).values_list(*others))
            if kept & set(model._default_manager.filter(**{name: duplicate}).values_list(*others)):
                reasons.append(
                    _MERGE_CLASHES.get(model._meta.label, "ont un enregistrement en double")
                )
    if reasons:
        raise BusinessError(
            f"Les deux fiches {' et '.join(sorted(set(reasons)))} : annulez celle du doublon "
            "avant de fusionner."
        )
    moved = {}
    for model, name in links:
        pks = list(model._default_manager.filter(**{name: duplicate}).values_list("pk", flat=True))
        if pks:
            model._default_manager.filter(pk__in=pks).update(**{name: keep})
            moved[model._meta.label] = pks
    return moved


@transaction.atomic
def merge_people(*, actor: User, keep: Person, duplicate: Person) -> Person:
    """Fusionne ``duplicate`` dans ``keep`` sans rien perdre.

    Tout ce qui désigne le doublon (accompagnements, demandes, rendez-vous, signalements, offres,
    inscriptions, évaluations, demandes d'aide…) passe à la fiche conservée ; les
    champs vides de celle-ci sont complétés par ceux du doublon (NIR compris) ; le doublon reste
    en base, marqué « fusionné dans », pour l'historique et le journal. Refusé entre organismes,
    et quand les deux fiches portent deux NIR différents (ce ne sont pas les mêmes personnes).
    """
    from parcours.core.exceptions import BusinessError

    keep = Person.objects.select_for_update().get(pk=keep.pk)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    if keep.pk == duplicate.pk:
        raise BusinessError("Choisissez deux fiches différentes.")
    if keep.organisation_id != duplicate.organisation_id:
        raise BusinessError("Les deux fiches n'appartiennent pas au même organisme.")
    if keep.merged_into_id or duplicate.merged_into_id:
        raise BusinessError("L'une des fiches a déjà été fusionnée.")
    if keep.nir_hash and duplicate.nir_hash and keep.nir_hash != duplicate.nir_hash:
        raise BusinessError(
            "Les deux fiches portent des NIR différents : ce ne sont pas les mêmes personnes."
        )
    before = audit.snapshot(keep)
    filled = []
    for name in MERGE_FILLABLE:
        field = Person._meta.get_field(name)
        assert isinstance(field, Field)  # MERGE_FILLABLE : des champs, pas des relations inverses
        if getattr(keep, field.attname) in ("", None) and getattr(duplicate, field.attname) not in (
            "",
            None,
        ):
            setattr(keep, field.attname, getattr(duplicate, field.attname))
            filled.append(name)
    if not keep.nir_hash and duplicate.nir_hash:
        keep.nir_encrypted = duplicate.nir_encrypted
        keep.nir_hash, keep.nir_masked = duplicate.nir_hash, duplicate.nir_masked
        filled.append("nir")
    moved = _move_links(duplicate=duplicate, keep=keep)
    derive_search_keys(keep)
    keep.version += 1
    keep.save()
    Person.objects.filter(pk=duplicate.pk).update(merged_into=keep, version=duplicate.version + 1)
    changes = audit.diff(before, audit.snapshot(keep))
    changes["fusion"] = {
        "avant": None,
        "apres": {"doublon": duplicate.pk, "complete": filled, **moved},
    }
    audit.record(
        actor=actor,
        action="UPDATE",
        obj=keep,
        person_id=keep.pk,
        summary=f"Fusion du doublon {duplicate.pk} dans cette fiche",
        changes=changes,
    )
    audit.record(
        actor=actor,
        action="UPDATE",
        obj=duplicate,
        person_id=duplicate.pk,
        summary=f"Fiche fusionnée dans la fiche {keep.pk}",
        changes={"merged_into": {"avant": None, "apres": keep.pk}},
    )
    return keep
