"""Qui voit et enregistre les consentements et les partages d'une personne.

- Les consentements et partages d'une personne se lisent là où se lit sa fiche : AS, accueil
  et responsables de l'organisme qui la suit, dans leurs départements ;
- AS, accueil et responsables enregistrent un consentement (l'accueil oriente aussi) et le
  retirent quand la personne le demande ;
- pilotage et administrateurs ne voient aucune personne, donc aucun consentement ;
- hors périmètre, 404.

Orientations :
- AS et accueil orientent les personnes qu'ils voient, et les responsables, qui modifient les
  accompagnements de leur équipe ; tous trois lisent les orientations des personnes qu'ils
  voient (leurs départements) ;
- les responsables voient aussi les chiffres et les listes (par partenaire) des orientations de
  leurs départements ; le pilotage seulement les chiffres (aucun nom) ; les administrateurs rien ;
- un autre organisme, 404 ; le partenaire destinataire lit son orientation par son lien, et par
  lui seulement (``services.orientations.read_token``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from parcours.aid.policies import visible_evaluations
from parcours.core import clock
from parcours.core.policies import get_or_404
from parcours.core.roles import Role, agent_context
from parcours.people.policies import visible_people
from parcours.rules import sharing as rules
from parcours.sharing.models import (
    Consent,
    Disclosure,
    EvaluationShare,
    Orientation,
    SharedPathway,
)

if TYPE_CHECKING:
    from datetime import date

    from django.db.models import QuerySet

    from parcours.aid.models import Evaluation
    from parcours.core.models import User
    from parcours.people.models import Person


def visible_consents(user: User) -> QuerySet[Consent]:
    return Consent.objects.filter(person__in=visible_people(user))


def visible_disclosures(user: User) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(person__in=visible_people(user))


def can_see_sharing(user: User, person: Person) -> bool:
    """Les partages d'une personne : qui voit sa fiche."""
    return visible_people(user).filter(pk=person.pk).exists()


def can_record_consent(user: User, person: Person) -> bool:
    """Enregistrer ou retirer un consentement : qui voit la fiche (AS, accueil, responsable)."""
    return can_see_sharing(user, person)


def get_consent_or_404(user: User, pk: object) -> Consent:
    return get_or_404(visible_consents(user).select_related("person"), pk)


# --- Parcours partagés et évaluations reconnues ------------------------------------------------
#
# Qui voit un parcours partagé :
#
# - dans l'organisme qui l'a ouvert (A) : les AS et responsables dont les départements
#   d'intervention comprennent celui de la personne, et le référent de parcours s'il est de A ;
# - dans un organisme participant (B) : les AS et responsables de B dont les départements
#   comprennent celui de la personne, et le référent de parcours s'il est de B — tant que le
#   consentement du parcours est en vigueur et nomme B. Retiré, il ne couvre plus rien : le
#   parcours disparaît aussitôt des listes de B et sa page répond 404 ; A le garde ;
# - l'accueil, le pilotage et les administrateurs d'aucun organisme ne voient de parcours
#   (l'accueil ne voit pas le contenu des suivis ; pilotage et administration, aucune personne) ;
# - B ne lit que les catégories que le parcours partage (identité, étapes, évaluations partagées,
#   synthèse) ; jamais les accompagnements, entretiens ni notes privées de A, qui restent derrière
#   les politiques de leurs applications (filtrées sur l'organisme de l'agent).
#
# Les évaluations partagées avec un organisme B se lisent, en lecture seule, par les AS et
# responsables de B dont les départements comprennent celui de l'évaluation, tant que le
# consentement sous lequel elles ont été partagées est en vigueur.


def _sees_pathways(user: User) -> tuple[int | None, frozenset[str]] | None:
    ctx = agent_context(user)
    if ctx.organisation_id is None or ctx.role not in {Role.AS, Role.MANAGER}:
        return None
    return ctx.organisation_id, ctx.departements


def _consent_in_force(prefix: str, today: date) -> Q:
    return Q(**{f"{prefix}given_on__lte": today}) & (
        Q(**{f"{prefix}withdrawn_on__isnull": True}) | Q(**{f"{prefix}withdrawn_on__gt": today})
    )


def visible_pathways(user: User) -> QuerySet[SharedPathway]:
    """Les parcours partagés que l'agent voit : AS et responsables de l'organisme qui a ouvert
    le parcours, ou d'un organisme participant que nomme le consentement en vigueur, dont les
    départements comprennent celui de la personne ; le référent de parcours, où qu'elle réside.
    Accueil, pilotage, administrateurs : aucun. Consentement retiré : plus rien pour B."""
    seen = _sees_pathways(user)
    if seen is None:
        return SharedPathway.objects.none()
    organisation_id, departements = seen
    in_scope = Q(person__departement_id__in=departements) | Q(referent_id=user.pk)
    own = Q(organisation_id=organisation_id)
    joined = Q(
        pk__in=SharedPathway.objects.filter(
            organisations=organisation_id, consent__organisations=organisation_id
        ).values("pk")
    ) & _consent_in_force("consent__", clock.today())
    return SharedPathway.objects.filter((own | joined) & in_scope, person__merged_into__isnull=True)


def get_pathway_or_404(user: User, pk: object) -> SharedPathway:
    return get_or_404(
        visible_pathways(user).select_related(
            "person", "organisation", "referent", "consent", "opened_by"
        ),
        pk,
    )


def is_opening_organisation(user: User, pathway: SharedPathway) -> bool:
    """L'agent est de l'organisme qui a ouvert le parcours (il y lit tout le parcours)."""
    return agent_context(user).organisation_id == pathway.organisation_id


def pathway_parts(user: User, pathway: SharedPathway) -> dict[str, bool]:
    """Ce que l'agent lit du parcours, par catégorie : tout dans l'organisme qui l'a ouvert ;
    dans un organisme participant, les catégories que le parcours partage, seulement."""
    if is_opening_organisation(user, pathway):
        return dict.fromkeys(rules.PATHWAY_CATEGORIES, True)
    return {c: c in pathway.categories for c in rules.PATHWAY_CATEGORIES}


def can_open_pathway(user: User, person: Person) -> bool:
    """Ouvrir un parcours partagé : une AS ou un responsable de l'organisme de la personne, dans
    ses départements."""
    return _sees_pathways(user) is not None and visible_people(user).filter(pk=person.pk).exists()


def can_manage_pathway(user: User, pathway: SharedPathway) -> bool:
    """Ajouter un participant, clore : une AS ou un responsable de l'organisme qui a ouvert le
    parcours (qui le voit), ou le référent de parcours de cet organisme ; parcours ouvert."""
    return (
        pathway.state == SharedPathway.State.OUVERT
        and is_opening_organisation(user, pathway)
        and visible_pathways(user).filter(pk=pathway.pk).exists()
    )


def can_add_step(user: User, pathway: SharedPathway) -> bool:
    """Ajouter une étape : qui voit le parcours et ses étapes (A, et B si les étapes sont
    partagées) ; parcours ouvert."""
    return (
        pathway.state == SharedPathway.State.OUVERT
        and pathway_parts(user, pathway)[rules.ETAPES]
        and visible_pathways(user).filter(pk=pathway.pk).exists()
    )


def can_write_synthesis(user: User, pathway: SharedPathway) -> bool:
    """Écrire la synthèse partagée : le référent de parcours seul, s'il la lit ; parcours
    ouvert."""
    return (
        pathway.state == SharedPathway.State.OUVERT
        and pathway.referent_id == user.pk
        and pathway_parts(user, pathway)[rules.SYNTHESE]
        and visible_pathways(user).filter(pk=pathway.pk).exists()
    )


def can_share_evaluation(user: User, evaluation: Evaluation) -> bool:
    """Partager une évaluation : qui la voit (AS et responsables de l'organisme, dans leurs
    départements)."""
    return visible_evaluations(user).filter(pk=evaluation.pk).exists()


def visible_evaluation_shares(user: User) -> QuerySet[EvaluationShare]:
    """Les partages faits des évaluations des personnes que l'agent voit (onglet « Partages »)."""
    return EvaluationShare.objects.filter(evaluation__in=visible_evaluations(user))


def received_evaluation_shares(user: User) -> QuerySet[EvaluationShare]:
    """Les évaluations partagées avec l'organisme de l'agent, lues en lecture seule."""
    seen = _sees_pathways(user)
    if seen is None:
        return EvaluationShare.objects.none()
    organisation_id, departements = seen
    return EvaluationShare.objects.filter(
        _consent_in_force("consent__", clock.today()),
        recipient_organisation_id=organisation_id,
        evaluation__departement_id__in=departements,
        evaluation__person__merged_into__isnull=True,
    )


def get_received_evaluation_or_404(user: User, pk: object) -> EvaluationShare:
    return get_or_404(
        received_evaluation_shares(user).select_related(
            "evaluation__person", "evaluation__evaluator", "evaluation__organisation", "by"
        ),
        pk,
    )


def can_list_pathways(user: User) -> bool:
    """La liste « Parcours partagés » et les évaluations reçues : AS et responsables."""
    return _sees_pathways(user) is not None


# --- Orientations ------------------------------------------------------------------------------


def visible_orientations(user: User) -> QuerySet[Orientation]:
    """Les orientations des personnes que l'agent voit (AS, accueil, responsables)."""
    return Orientation.objects.filter(person__in=visible_people(user))


def can_orient(user: User, person: Person) -> bool:
    """Orienter une personne : AS, accueil et responsables, pour une personne de leur
    périmètre ; pilotage et administrateurs, non."""
    ctx = agent_context(user)
    if ctx.role not in {Role.AS, Role.FRONT_LINE, Role.MANAGER}:
        return False
    return visible_people(user).filter(pk=person.pk).exists()


def can_close_orientation(user: User, orientation: Orientation) -> bool:
    """Clore une orientation acceptée ou refusée : AS, accueil et responsables qui la voient."""
    return visible_orientations(user).filter(pk=orientation.pk).exists()


def can_see_orientation_counts(user: User, obj: object | None = None) -> bool:
    """La page « Orientations » (chiffres) : responsables et pilotage."""
    return agent_context(user).role in {Role.MANAGER, Role.STEERING}


def can_list_orientations(user: User, obj: object | None = None) -> bool:
    """Les listes d'orientations (avec les personnes) : les responsables."""
    return agent_context(user).role == Role.MANAGER


def counted_orientations(user: User) -> QuerySet[Orientation]:
    """Ce que comptent les chiffres : responsables et pilotage, les orientations de l'organisme
    dans leurs départements (tout l'organisme pour un pilotage sans département)."""
    ctx = agent_context(user)
    if not can_see_orientation_counts(user) or ctx.organisation_id is None:
        return Orientation.objects.none()
    found = Orientation.objects.filter(organisation_id=ctx.organisation_id)
    if ctx.role == Role.MANAGER or ctx.departements:
        found = found.filter(departement_id__in=ctx.departements)
    return found


def listed_orientations(user: User) -> QuerySet[Orientation]:
    """Les orientations qu'un responsable liste (avec les personnes)."""
    if not can_list_orientations(user):
        return Orientation.objects.none()
    return counted_orientations(user).filter(person__in=visible_people(user))


def get_orientation_or_404(user: User, pk: object) -> Orientation:
    return get_or_404(
        visible_orientations(user).select_related(
            "person", "partner", "recipient_organisation", "partner_contact", "consent"
        ),
        pk,
    )
