"""Écritures des parcours partagés entre organismes : ouverture, participants, étapes, synthèse
versionnée, clôture ; partage d'une évaluation des besoins (reconnaissance mutuelle) ; lectures
par un autre organisme, journalisées des deux côtés.

Chaque écriture qui fait sortir une information passe par ``ensure_covered`` (la base du
partage) puis ``record_disclosure`` dans sa transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError, ConflictError
from parcours.core.models import AuditEntry, Organisation
from parcours.core.nomenclatures import Fonction
from parcours.core.roles import organisation_of
from parcours.partners.models import Partner
from parcours.rules import sharing as rules
from parcours.sharing.models import (
    Consent,
    EvaluationShare,
    PathwayStep,
    PathwaySynthesis,
    SharedPathway,
)
from parcours.sharing.services.consents import (
    ensure_covered,
    record_cross_read,
    record_disclosure,
)

if TYPE_CHECKING:
    from parcours.aid.models import Evaluation
    from parcours.core.models import User
    from parcours.people.models import Person

#: Les fonctions qui peuvent être référent de parcours (elles suivent des personnes).
REFERENT_FUNCTIONS = {Fonction.AS, Fonction.MANAGER}


def _refused(error: rules.SharingRefused) -> BusinessError:
    return BusinessError({error.field: error.message})


def _disclose_to(
    *,
    actor: User,
    pathway: SharedPathway,
    organisation: Organisation | None = None,
    partner: Partner | None = None,
) -> None:
    # Relu (et verrouillé) à chaque partage : un retrait enregistré entre-temps l'emporte.
    pathway.consent = Consent.objects.select_for_update().get(pk=pathway.consent_id)
    ensure_covered(
        basis=rules.CONSENTEMENT,
        categories=pathway.categories,
        consent=pathway.consent,
        person=pathway.person,
        organisation=organisation,
        partner=partner,
    )
    record_disclosure(
        actor=actor,
        person=pathway.person,
        basis=rules.CONSENTEMENT,
        consent=pathway.consent,
        categories=pathway.categories,
        obj=pathway,
        label=f"Parcours partagé « {pathway.title} »",
        organisation=organisation,
        partner=partner,
    )


def _check_referent(referent: User, person: Person, organisations: Iterable[Organisation]) -> None:
    allowed = {person.organisation_id, *(o.pk for o in organisations)}
    if (
        not referent.is_active
        or referent.organisation_id not in allowed
        or referent.function not in REFERENT_FUNCTIONS
    ):
        raise BusinessError(
            {
                "referent": "Le référent de parcours est une AS ou un responsable de l'un des "
                "organismes du parcours."
            }
        )


@transaction.atomic
def open_pathway(
    *,
    actor: User,
    person: Person,
    purpose: str,
    consent: Consent,
    categories: Iterable[str],
    referent: User,
    organisations: Iterable[Organisation] = (),
    partners: Iterable[Partner] = (),
    label: str = "",
    opened_on: date | None = None,
) -> SharedPathway:
    """Ouvre un parcours partagé pour une personne de l'organisme de l'agent (aujourd'hui, ou à
    ``opened_on`` pour un parcours commencé avant sa saisie, jamais avant le consentement).

    Refus : objet inconnu, « autre » sans libellé, aucun participant, catégorie hors du parcours
    ou que le consentement ne couvre pas, consentement retiré ou qui ne nomme pas un participant,
    référent hors des organismes du parcours."""
    organisations, partners = list(organisations), list(partners)
    errors: dict[str, str] = {}
    if purpose not in SharedPathway.Purpose.values:
        errors["purpose"] = "Choisissez l'objet du parcours."
    elif purpose == SharedPathway.Purpose.AUTRE and not label.strip():
        errors["label"] = "Nommez le parcours."
    if not organisations and not partners:
        errors["organisations"] = "Nommez au moins un participant : un organisme ou un partenaire."
    if any(o.pk == person.organisation_id for o in organisations):
        errors["organisations"] = "L'organisme qui suit la personne ouvre le parcours."
    if any(p.organisation_id != person.organisation_id for p in partners):
        errors["partners"] = "Ce partenaire n'est pas dans l'annuaire de l'organisme."
    opened_on = opened_on or clock.today()
    if opened_on > clock.today():
        errors["opened_on"] = "Un parcours s'ouvre aujourd'hui au plus tard."
    elif opened_on < consent.given_on:
        errors["opened_on"] = "Un parcours ne s'ouvre pas avant le consentement qui le couvre."
    if errors:
        raise BusinessError(errors)
    try:
        chosen = rules.check_pathway_categories(categories)
    except rules.SharingRefused as error:
        raise _refused(error) from None
    _check_referent(referent, person, organisations)
    pathway = SharedPathway.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        purpose=purpose,
        label=label.strip(),
        categories=chosen,
        consent=consent,
        referent=referent,
        opened_on=opened_on,
        opened_by=actor,
    )
    pathway.organisations.set(organisations)
    pathway.partners.set(partners)
    audit.record_write(
        actor=actor,
        obj=pathway,
        before=None,
        person_id=person.pk,
        summary=f"Parcours partagé ouvert : {pathway.title}",
    )
    for organisation in organisations:
        _disclose_to(actor=actor, pathway=pathway, organisation=organisation)
    for partner in partners:
        _disclose_to(actor=actor, pathway=pathway, partner=partner)
    return pathway


def _open(pathway: SharedPathway) -> SharedPathway:
    locked = SharedPathway.objects.select_for_update().get(pk=pathway.pk)
    if locked.state != SharedPathway.State.OUVERT:
        raise BusinessError("Ce parcours est clos.")
    return locked


@transaction.atomic
def add_participant(
    *,
    actor: User,
    pathway: SharedPathway,
    organisation: Organisation | None = None,
    partner: Partner | None = None,
) -> SharedPathway:
    """Ajoute un organisme ou un partenaire au parcours, sous son consentement."""
    locked = _open(pathway)
    if (organisation is None) == (partner is None):
        raise BusinessError({"organisation": "Choisissez un organisme ou un partenaire."})
    if organisation is not None:
        if organisation.pk == locked.organisation_id:
            raise BusinessError({"organisation": "Cet organisme a ouvert le parcours."})
        if locked.organisations.filter(pk=organisation.pk).exists():
            raise BusinessError({"organisation": "Cet organisme participe déjà au parcours."})
    if partner is not None:
        if partner.organisation_id != locked.organisation_id:
            raise BusinessError({"partner": "Ce partenaire n'est pas dans l'annuaire."})
        if locked.partners.filter(pk=partner.pk).exists():
            raise BusinessError({"partner": "Ce partenaire participe déjà au parcours."})
    _disclose_to(actor=actor, pathway=locked, organisation=organisation, partner=partner)
    if organisation is not None:
        locked.organisations.add(organisation)
    if partner is not None:
        locked.partners.add(partner)
    who = organisation or partner
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=locked,
        person_id=locked.person_id,
        summary=f"Participant ajouté au parcours partagé : {who}",
    )
    return locked


def _journal_both_sides(
    *, actor: User, obj: PathwayStep | PathwaySynthesis, pathway: SharedPathway, summary: str
) -> None:
    """L'écriture d'un agent d'un organisme participant : sa ligne chez lui, et une chez
    l'organisme qui suit la personne (qui seul y lit la personne)."""
    if actor.organisation_id == pathway.organisation_id:
        audit.record_write(
            actor=actor, obj=obj, before=None, person_id=pathway.person_id, summary=summary
        )
        return
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=obj,
        organisation_id=actor.organisation_id,
        summary=summary,
    )
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=obj,
        organisation_id=pathway.organisation_id,
        person_id=pathway.person_id,
        summary=f"Écrit par un autre organisme : {summary}",
    )


@transaction.atomic
def add_step(*, actor: User, pathway: SharedPathway, on: date, kind: str, text: str) -> PathwayStep:
    """Une étape du parcours, au nom de l'organisme de l'agent."""
    locked = _open(pathway)
    errors: dict[str, str] = {}
    if kind not in PathwayStep.Kind.values:
        errors["kind"] = "Choisissez la nature de l'étape."
    if not text.strip():
        errors["text"] = "Décrivez l'étape."
    if on > clock.today():
        errors["on"] = "Une étape se date du jour où elle a eu lieu, pas après."
    if on < locked.opened_on:
        errors["on"] = "Une étape ne peut précéder l'ouverture du parcours."
    if errors:
        raise BusinessError(errors)
    step = PathwayStep.objects.create(
        pathway=locked,
        on=on,
        organisation_id=organisation_of(actor),
        author=actor,
        kind=kind,
        text=text.strip(),
        created_at=clock.now(),
    )
    _journal_both_sides(actor=actor, obj=step, pathway=locked, summary="Étape de parcours partagé")
    return step


@transaction.atomic
def write_synthesis(
    *, actor: User, pathway: SharedPathway, text: str, expected_version: int
) -> PathwaySynthesis:
    """Enregistre une nouvelle version de la synthèse partagée (le référent seul).

    ``expected_version`` est la version affichée quand la saisie a commencé ; si une autre a été
    enregistrée depuis, ``ConflictError`` porte la version enregistrée (les deux restent
    visibles)."""
    locked = _open(pathway)
    if actor.pk != locked.referent_id:
        raise BusinessError("Seul le référent de parcours écrit la synthèse.")
    if locked.synthesis_version != expected_version:
        raise ConflictError(locked.syntheses.order_by("-version").first())
    if not text.strip():
        raise BusinessError({"text": "La synthèse est vide."})
    locked.synthesis_version += 1
    locked.save(update_fields=["synthesis_version"])
    synthesis = PathwaySynthesis.objects.create(
        pathway=locked,
        version=locked.synthesis_version,
        text=text.strip(),
        author=actor,
        written_at=clock.now(),
    )
    _journal_both_sides(
        actor=actor,
        obj=synthesis,
        pathway=locked,
        summary=f"Synthèse partagée, version {synthesis.version}",
    )
    return synthesis


@transaction.atomic
def close_pathway(
    *, actor: User, pathway: SharedPathway, closed_on: date, outcome: str
) -> SharedPathway:
    locked = _open(pathway)
    errors: dict[str, str] = {}
    if closed_on > clock.today():
        errors["closed_on"] = "Un parcours se clôt aujourd'hui au plus tard."
    elif closed_on < locked.opened_on:
        errors["closed_on"] = "La clôture ne peut précéder l'ouverture."
    if not outcome.strip():
        errors["outcome"] = "Indiquez l'issue du parcours."
    if errors:
        raise BusinessError(errors)
    before = audit.snapshot(locked)
    locked.state = SharedPathway.State.CLOS
    locked.closed_on = closed_on
    locked.outcome = outcome.strip()
    locked.save(update_fields=["state", "closed_on", "outcome"])
    audit.record_write(
        actor=actor,
        obj=locked,
        before=before,
        person_id=locked.person_id,
        summary="Parcours partagé clos",
    )
    return locked


def record_pathway_read(*, actor: User, pathway: SharedPathway) -> None:
    """La page d'un parcours lue par un agent d'un organisme participant : journal des deux
    côtés ; rien pour l'organisme qui l'a ouvert (sa fiche journalise déjà)."""
    if actor.organisation_id != pathway.organisation_id:
        record_cross_read(
            actor=actor,
            obj=pathway,
            person=pathway.person,
            summary=f"Parcours partagé « {pathway.title} » lu",
        )


# --- Reconnaissance mutuelle des évaluations ---------------------------------------------------


@transaction.atomic
def share_evaluation(
    *,
    actor: User,
    evaluation: Evaluation,
    consent: Consent | None,
    basis: str = rules.CONSENTEMENT,
    organisation: Organisation | None = None,
    partner: Partner | None = None,
) -> EvaluationShare:
    """Partage une évaluation des besoins avec un autre organisme de l'installation (qui la lit
    en lecture seule) ou un partenaire (le département, en GIR 1 à 4 : partage noté).

    Refus : aucun ou deux destinataires, l'organisme lui-même, un partenaire d'un autre
    annuaire, un département hors GIR 1 à 4, un consentement qui ne couvre pas l'évaluation ou
    ne nomme pas le destinataire, un partage déjà fait sous ce consentement."""
    person = evaluation.person
    if consent is not None:  # relu : un retrait enregistré entre-temps l'emporte
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if (organisation is None) == (partner is None):
        raise BusinessError({"organisation": "Choisissez un organisme ou un partenaire."})
    if organisation is not None and organisation.pk == evaluation.organisation_id:
        raise BusinessError({"organisation": "L'évaluation est déjà celle de cet organisme."})
    if partner is not None and partner.organisation_id != evaluation.organisation_id:
        raise BusinessError({"partner": "Ce partenaire n'est pas dans l'annuaire."})
    try:
        rules.check_evaluation_recipient(
            gir=evaluation.gir,
            to_departement=partner is not None and partner.kind == Partner.Kind.DEPARTEMENT,
            basis=basis,
        )
    except rules.SharingRefused as error:
        raise _refused(error) from None
    if partner is not None and partner.kind != Partner.Kind.DEPARTEMENT:
        raise BusinessError(
            {"partner": "Parmi les partenaires, seul le département reçoit une évaluation."}
        )
    ensure_covered(
        basis=basis,
        categories=[rules.EVALUATION],
        consent=consent,
        person=person,
        organisation=organisation,
        partner=partner,
    )
    consent = consent if basis == rules.CONSENTEMENT else None
    if EvaluationShare.objects.filter(
        evaluation=evaluation,
        recipient_organisation=organisation,
        partner=partner,
        consent=consent,
    ).exists():
        raise BusinessError("Cette évaluation est déjà partagée avec ce destinataire.")
    share = EvaluationShare.objects.create(
        evaluation=evaluation,
        recipient_organisation=organisation,
        partner=partner,
        basis=basis,
        consent=consent,
        shared_at=clock.now(),
        by=actor,
    )
    audit.record_write(
        actor=actor,
        obj=share,
        before=None,
        person_id=person.pk,
        summary="Évaluation des besoins partagée",
    )
    record_disclosure(
        actor=actor,
        person=person,
        basis=basis,
        consent=consent,
        categories=[rules.EVALUATION],
        obj=share,
        label=f"Évaluation du {evaluation.evaluated_on:%d/%m/%Y} (GIR {evaluation.gir})",
        organisation=organisation,
        partner=partner,
    )
    return share


def record_evaluation_read(*, actor: User, share: EvaluationShare) -> None:
    """Une évaluation partagée lue par l'organisme destinataire : journal des deux côtés."""
    record_cross_read(
        actor=actor,
        obj=share,
        person=share.evaluation.person,
        summary=f"Évaluation partagée du {share.evaluation.evaluated_on:%d/%m/%Y} lue",
    )
