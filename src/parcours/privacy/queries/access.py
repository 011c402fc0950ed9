"""L'export du droit d'accès d'une personne (RGPD art. 15 ; formats.md §8) : tout ce que
l'organisme tient sur elle, rubrique par rubrique, en un dictionnaire que rendent l'aperçu,
le PDF et le JSON.

Clés de premier niveau (formats.md §8) : ``personne``, ``accompagnements``, ``entretiens``,
``evaluations``, ``aides``, ``collectif``, ``signalements``, ``orientations``,
``consentements``, ``documents``, ``consultations``. ``personne`` porte aussi l'historique
des rectifications et les premiers contacts (demandes, rendez-vous, accueil, offres, ciblages).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder

from parcours.core import crypto
from parcours.core.models import AuditEntry
from parcours.privacy.queries import access_cases, access_sharing
from parcours.privacy.queries.access_cases import name_of

if TYPE_CHECKING:
    from parcours.people.models import Person

SECTIONS = (
    "personne",
    "accompagnements",
    "entretiens",
    "evaluations",
    "aides",
    "collectif",
    "signalements",
    "orientations",
    "consentements",
    "documents",
    "consultations",
)

#: Champs de la fiche que l'historique des rectifications ne montre pas : clés de recherche
#: dérivées, compteur de version, horodatage technique (le NIR n'y figure que masqué).
TECHNICAL_FIELDS = frozenset(
    {
        "last_name_key",
        "birth_name_key",
        "first_name_key",
        "name_phonetic",
        "phone_digits",
        "version",
        "updated_at",
        "created_at",
        "nir_encrypted",
        "nir_hash",
    }
)

#: Les lectures du dossier montrées à la personne (qui, quand).
READ_ACTIONS = (AuditEntry.Action.READ, AuditEntry.Action.REVEAL_NIR, AuditEntry.Action.EXPORT)


def person_ids(person: Person) -> list[int]:
    """La fiche et les doublons fusionnés dans elle (leur journal la concerne aussi)."""
    return [person.pk, *person.merged_duplicates.values_list("pk", flat=True).order_by("pk")]


def _label(field_name: str) -> str:
    from parcours.people.models import Person

    try:
        field = Person._meta.get_field(field_name)
    except FieldDoesNotExist:  # un champ disparu depuis : son nom technique
        return field_name
    label = str(getattr(field, "verbose_name", field_name))
    return label[:1].upper() + label[1:]


def _value(field_name: str, value):
    from parcours.people.models import Person

    try:
        field = Person._meta.get_field(field_name)
    except FieldDoesNotExist:
        return value
    choices = dict(getattr(field, "flatchoices", None) or [])
    return choices.get(value, value) if choices else value


def rectifications_of(person: Person) -> list[dict]:
    """Chaque correction de la fiche (journal : modification, avant/après), la plus ancienne
    d'abord, sans les champs techniques."""
    rows = []
    for entry in (
        AuditEntry.objects.filter(
            person_id__in=person_ids(person),
            object_type="person",
            action=AuditEntry.Action.UPDATE,
        )
        .select_related("actor")
        .order_by("at", "id")
    ):
        changes = [
            {
                "champ": _label(name),
                "avant": _value(name, change.get("avant")),
                "apres": _value(name, change.get("apres")),
            }
            for name, change in sorted(entry.changes.items())
            if name not in TECHNICAL_FIELDS and isinstance(change, dict)
        ]
        if changes:
            rows.append({"le": entry.at, "par": name_of(entry.actor), "changements": changes})
    return rows


def identity_of(person: Person, *, reveal_nir: bool) -> dict:
    """L'identité et les coordonnées ; le NIR en entier dans le fichier remis à la personne
    (``reveal_nir``), masqué à l'écran d'aperçu."""
    nir = None
    if person.nir_encrypted:
        nir = crypto.decrypt(person.nir_encrypted) if reveal_nir else person.nir_masked
    return {
        "id": person.pk,
        "nom_d_usage": person.last_name,
        "nom_de_naissance": person.birth_name,
        "prenoms": person.first_names,
        "sexe": person.get_sex_display(),
        "date_de_naissance": person.birth_date,
        "nir": nir,
        "adresse": person.address,
        "code_postal": person.postal_code,
        "commune": person.commune.name if person.commune else "",
        "departement": person.departement.name,
        "telephone": person.phone,
        "courriel": person.email,
        "canal_prefere": person.get_preferred_channel_display(),
        "langue": person.language,
        "statut": person.get_status_display(),
        "situation_familiale": person.get_family_situation_display(),
        "logement": person.get_housing_display(),
        "situation_professionnelle": person.get_employment_display(),
        "protection_juridique": person.legal_protection,
        "affection_de_longue_duree": person.long_term_illness,
        "gir": person.gir,
        "fiche_creee_le": person.created_at,
    }


def consultations_of(person: Person) -> list[dict]:
    """Qui a lu le dossier, quand : consultations de la fiche et des accompagnements, NIR
    affiché en clair, exports d'accès (le journal d'audit, tous organismes confondus : une
    lecture par un organisme partenaire y figure aussi)."""
    return [
        {
            "le": e.at,
            "par": name_of(e.actor),
            "organisme": e.organisation.name if e.organisation else "",
            "action": e.get_action_display(),
            "objet": e.summary,
        }
        for e in AuditEntry.objects.filter(
            person_id__in=person_ids(person), action__in=READ_ACTIONS
        )
        .select_related("actor", "organisation")
        .order_by("at", "id")
    ]


def documents_of(person: Person, sections: dict) -> list[dict]:
    """Les documents produits par Parcours et connus de lui (aucune gestion électronique des
    documents : les courriers ne sont pas conservés, ils se régénèrent à la demande)."""
    from parcours.privacy.models import AccessExport

    docs = []
    for e in sections["evaluations"]:
        if e["transmission"]:
            docs.append(
                {
                    "document": "Courrier de transmission de l'évaluation",
                    "le": e["transmission"]["le"],
                }
            )
    for r in sections["aides"]:
        if r["notifiee_le"]:
            docs.append(
                {"document": f"Notification de décision : {r['aide']}", "le": r["notifiee_le"]}
            )
    for r in sections["signalements"]:
        if r["reponse_a_l_emetteur_le"]:
            docs.append(
                {
                    "document": "Courrier de réponse à l'émetteur du signalement",
                    "le": r["reponse_a_l_emetteur_le"],
                }
            )
    for o in sections["personne"]["premiers_contacts"]["offres_de_service"]:
        docs.append({"document": f"Offre de service : {o['campagne']}", "le": o["envoyee_le"]})
    for export in AccessExport.objects.filter(person_id__in=person_ids(person)).order_by(
        "at", "id"
    ):
        docs.append(
            {
                "document": f"Export du droit d'accès ({export.get_format_display()})",
                "le": export.at,
            }
        )
    return sorted(docs, key=lambda d: str(d["le"]))


def access_export(person: Person, *, with_private_notes: bool, reveal_nir: bool) -> dict:
    """Le contenu de l'export, rubrique par rubrique (formats.md §8)."""
    identity = identity_of(person, reveal_nir=reveal_nir)
    identity["rectifications"] = rectifications_of(person)
    identity["premiers_contacts"] = access_sharing.first_contacts_of(person)
    sections = {
        "personne": identity,
        "accompagnements": access_cases.cases_of(person, with_private_notes=with_private_notes),
        "entretiens": access_cases.contacts_of(person),
        "evaluations": access_cases.evaluations_of(person),
        "aides": access_cases.aid_requests_of(person),
        "collectif": access_sharing.group_activity_of(person),
        "signalements": access_sharing.referrals_of(person),
        "orientations": access_sharing.orientations_of(person),
        "consentements": access_sharing.consents_of(person),
    }
    sections["documents"] = documents_of(person, sections)
    sections["consultations"] = consultations_of(person)
    return {key: sections[key] for key in SECTIONS}


def counts(content: dict) -> dict[str, int]:
    """Le nombre d'éléments de chaque rubrique (la fiche compte pour un)."""
    result = {}
    for key in SECTIONS:
        value = content[key]
        if key == "personne":
            result[key] = 1
        elif key == "consentements":
            result[key] = len(value["recueillis"]) + len(value["partages"])
        else:
            result[key] = len(value)
    return result


def to_json(content: dict) -> bytes:
    """Le JSON remis : dates ISO 8601, montants en chaînes décimales, UTF-8 lisible."""
    return json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def person_by_nir(organisation_id: int, nir: str) -> Person | None:
    """La fiche (non fusionnée) de l'organisme qui porte ce NIR valide (empreinte HMAC)."""
    from parcours.people.models import Person

    return (
        Person.objects.filter(
            organisation_id=organisation_id,
            nir_hash=crypto.blind_index(nir),
            merged_into__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def person_by_id(organisation_id: int, pk: int) -> Person | None:
    from parcours.people.models import Person

    return Person.objects.filter(
        organisation_id=organisation_id, pk=pk, merged_into__isnull=True
    ).first()
