"""Lectures du partage : les consentements d'une personne, ceux qui couvrent un destinataire."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from parcours.core import clock
from parcours.core.models import User
from parcours.core.nomenclatures import Fonction
from parcours.partners.models import Partner
from parcours.rules import sharing as rules
from parcours.sharing.models import Consent, EvaluationShare, SharedPathway

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.core.models import Organisation
    from parcours.people.models import Person


def active_consents(
    person: Person,
    today: date,
    *,
    partner: Partner | None = None,
    organisation: Organisation | None = None,
) -> QuerySet[Consent]:
    """Les consentements de ``person`` en vigueur ``today`` (donnés, non retirés), pour ce
    destinataire s'il est nommé."""
    found = Consent.objects.filter(person=person, given_on__lte=today).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today)
    )
    if partner is not None:
        found = found.filter(partners=partner)
    if organisation is not None:
        found = found.filter(organisations=organisation)
    return found.distinct()


def with_status(consents, today: date) -> list[Consent]:
    """Les consentements, chacun avec son état du jour (``state``, ``state_label``)."""
    rows = list(consents)
    for consent in rows:
        consent.state = rules.status(consent.given_on, consent.withdrawn_on, today)
        consent.state_label = rules.STATUS_LABELS[consent.state]
    return rows


# --- Parcours partagés et évaluations reconnues ------------------------------------------------


def referent_candidates(person: Person, organisations) -> QuerySet[User]:
    """Les référents possibles d'un parcours : les AS et responsables actifs de l'organisme de
    la personne et des organismes participants."""
    return (
        User.objects.filter(
            Q(organisation_id=person.organisation_id) | Q(organisation__in=organisations),
            is_active=True,
            function__in=[Fonction.AS, Fonction.MANAGER],
        )
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


def pathway_shares(
    pathway: SharedPathway, *, recipient_id: int | None
) -> QuerySet[EvaluationShare]:
    """Les évaluations de la personne partagées avec les organismes du parcours (avec
    ``recipient_id`` seulement : un organisme participant ne lit que celles qu'il a reçues),
    sous un consentement en vigueur."""
    today = clock.today()
    shares = EvaluationShare.objects.filter(
        evaluation__person_id=pathway.person_id, recipient_organisation__isnull=False
    ).filter(
        Q(consent__given_on__lte=today)
        & (Q(consent__withdrawn_on__isnull=True) | Q(consent__withdrawn_on__gt=today))
    )
    if recipient_id is not None:
        shares = shares.filter(recipient_organisation_id=recipient_id)
    return shares.select_related(
        "evaluation__evaluator", "evaluation__organisation", "recipient_organisation"
    ).order_by("-shared_at", "-pk")


def evaluation_recipients(evaluation, today: date) -> list[tuple[str, str, dict]]:
    """Les destinataires possibles d'une évaluation : (clé, libellé, arguments du service).

    Les organismes que nomme un consentement en vigueur qui couvre l'évaluation ; le
    département (partenaire de l'annuaire) en GIR 1 à 4, sur la mission légale ou sous un
    consentement qui le nomme."""
    found: list[tuple[str, str, dict]] = []
    consents = (
        active_consents(evaluation.person, today)
        .prefetch_related("organisations", "partners")
        .order_by("-given_on", "-pk")
    )
    for consent in consents:
        if rules.EVALUATION not in consent.categories:
            continue
        for organisation in consent.organisations.all():
            if organisation.pk == evaluation.organisation_id:
                continue
            found.append(
                (
                    f"o{organisation.pk}-c{consent.pk}",
                    f"{organisation.name} (consentement du {consent.given_on:%d/%m/%Y})",
                    {"organisation": organisation, "consent": consent},
                )
            )
    if evaluation.gir <= rules.DEPARTEMENT_GIR_MAX:
        for partner in Partner.objects.filter(
            organisation_id=evaluation.organisation_id,
            kind=Partner.Kind.DEPARTEMENT,
            active=True,
        ).order_by("name"):
            found.append(
                (
                    f"p{partner.pk}",
                    f"{partner.name} (mission légale, GIR 1 à 4)",
                    {"partner": partner, "consent": None, "basis": rules.MISSION_LEGALE},
                )
            )
    return found


# --- Orientations ------------------------------------------------------------------------------

#: le « type de partenaire » d'une orientation vers un autre organisme de l'installation
OTHER_ORGANISATION = "ORGANISME"
OTHER_ORGANISATION_LABEL = "Autre organisme de l'installation"
#: combien de jours une réponse reste signalée à l'agent qui a orienté (« Mon activité »)
ANSWER_SHOWN_DAYS = 30


def partner_kind_labels() -> dict[str, str]:
    from parcours.partners.models import Partner

    return dict(Partner.Kind.choices) | {OTHER_ORGANISATION: OTHER_ORGANISATION_LABEL}


def counts_by_kind_and_status(orientations) -> dict:
    """Les orientations par type de partenaire (``ORGANISME`` pour un autre organisme) et par
    état : ``{"total", "par_type_partenaire", "par_statut", "croise": {type: {état: n}}}``, en une
    requête SQL."""
    from django.db.models import Count
    from django.db.models.functions import Coalesce

    rows = (
        orientations.annotate(kind=Coalesce("partner__kind", models.Value(OTHER_ORGANISATION)))
        .values("kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_kind: dict[str, int] = {}
    by_status: dict[str, int] = {}
    crossed: dict[str, dict[str, int]] = {}
    for row in rows:
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        crossed.setdefault(row["kind"], {})[row["status"]] = row["n"]
    return {
        "total": sum(by_kind.values()),
        "par_type_partenaire": dict(sorted(by_kind.items())),
        "par_statut": dict(sorted(by_status.items())),
        "croise": crossed,
    }


def answer_delays(orientations) -> dict:
    """Délais de réponse (``rules.orientations.delay_summary``) : médiane, part dans l'échéance."""
    from parcours.rules import orientations as orientation_rules

    rows = orientations.values_list("sent_on", "first_deadline", "answered_on").order_by()
    return orientation_rules.delay_summary(rows)


def delays_by_partner(orientations) -> tuple[dict, list[dict]]:
    """Les délais de réponse de toutes les orientations (``answer_delays``) et, par destinataire,
    nombre, réponses, médiane du délai, part dans l'échéance. La base compte (un ``GROUP BY``
    par destinataire, délai en jours et réponse dans l'échéance) : quelques centaines de
    groupes remontent, jamais les orientations une à une."""
    from django.db.models import Case, Count, F, When

    from parcours.core.queries import DaysBetween
    from parcours.rules import orientations as orientation_rules

    rows = (
        orientations.annotate(
            delay=DaysBetween("sent_on", "answered_on"),
            in_time=Case(
                When(answered_on__lte=F("first_deadline"), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            ),
        )
        .values(
            "partner_id",
            "partner__name",
            "recipient_organisation_id",
            "recipient_organisation__name",
            "delay",
            "in_time",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    grouped: dict[tuple, list] = {}
    every: list[tuple] = []
    for row in rows:
        key = (
            row["partner_id"],
            row["recipient_organisation_id"],
            row["partner__name"] or row["recipient_organisation__name"],
        )
        group = (row["delay"], row["in_time"], row["n"])
        grouped.setdefault(key, []).append(group)
        every.append(group)
    result = []
    for (partner_id, org_id, name), groups in sorted(grouped.items(), key=lambda i: i[0][2]):
        result.append(
            {"partner_id": partner_id, "organisation_id": org_id, "name": name}
            | orientation_rules.delay_summary_of_counts(groups)
        )
    return orientation_rules.delay_summary_of_counts(every), result


def with_delays(orientations) -> list:
    """Les orientations, chacune avec son délai de réponse (``delay``) et ``late`` (répondue
    après l'échéance, ou sans réponse l'échéance passée)."""
    from parcours.core import clock
    from parcours.rules import orientations as orientation_rules

    today = clock.today()
    rows = list(orientations)
    for o in rows:
        o.delay = orientation_rules.answer_delay_days(o.sent_on, o.answered_on)
        o.late = (
            not orientation_rules.answered_within_deadline(o.first_deadline, o.answered_on)
            if o.answered_on
            else o.first_deadline < today
        )
    return rows


def basis_in_force(today: date) -> Q:
    """Le partage (orientation, évaluation partagée) tient encore ``today`` : mission légale, ou
    consentement donné et non retiré — la même règle que ``consent_still_valid``."""
    return Q(basis=rules.MISSION_LEGALE) | (
        Q(consent__given_on__lte=today)
        & (Q(consent__withdrawn_on__isnull=True) | Q(consent__withdrawn_on__gt=today))
    )


_UNREAD = object()


def latest_evaluations(person_ids) -> dict:
    """La dernière évaluation de chaque personne (la plus récente, puis la dernière saisie), en
    une requête quel que soit le nombre de personnes : ``{person_id: évaluation}``."""
    from parcours.aid.models import Evaluation

    latest = (
        Evaluation.objects.filter(person_id=models.OuterRef("person_id"))
        .order_by("-evaluated_on", "-pk")
        .values("pk")[:1]
    )
    found = (
        Evaluation.objects.filter(person_id__in=list(person_ids))
        .annotate(_latest=models.Subquery(latest))
        .filter(pk=models.F("_latest"))
        .order_by("person_id")
    )
    return {evaluation.person_id: evaluation for evaluation in found}


def shared_by_orientation(orientation, *, evaluation=_UNREAD) -> dict:
    """Ce que le destinataire d'une orientation peut voir de la personne : les seules catégories
    partagées (l'identité et les coordonnées, la situation, la dernière évaluation), jamais le
    contenu d'un accompagnement. La page du lien et l'API lisent la même sélection.

    ``evaluation`` : la dernière évaluation de la personne déjà lue (``latest_evaluations``,
    pour une liste), sinon elle est lue ici."""
    person = orientation.person
    shown: dict = {"categories": orientation.category_labels()}
    if rules.IDENTITE in orientation.categories:
        shown["identity"] = person
    if rules.SITUATION in orientation.categories:
        shown["situation"] = [
            (label, value)
            for label, value in (
                ("Statut", person.get_status_display()),
                ("Situation familiale", person.get_family_situation_display()),
                ("Logement", person.get_housing_display()),
                ("Emploi", person.get_employment_display()),
                ("Mesure de protection juridique", "oui" if person.legal_protection else ""),
            )
            if value
        ]
    if rules.EVALUATION in orientation.categories:
        if evaluation is _UNREAD:
            evaluation = person.evaluations.order_by("-evaluated_on", "-pk").first()
        shown["evaluation"] = evaluation
    return shown


def orientations_of_person(visible, person):
    return (
        visible.filter(person=person)
        .select_related("partner", "recipient_organisation", "created_by", "consent")
        .prefetch_related("events")
    )


def sender_alerts(user, today: date):
    """Pour l'agent qui a orienté : ses orientations relancées (sans réponse à l'échéance) et
    celles qui ont eu une réponse ces ``ANSWER_SHOWN_DAYS`` derniers jours."""
    from datetime import timedelta

    from parcours.sharing.models import Orientation

    since = today - timedelta(days=ANSWER_SHOWN_DAYS)
    return (
        Orientation.objects.filter(created_by=user)
        .filter(
            Q(status=Orientation.Status.RELANCEE)
            | Q(answered_on__gte=since)
            | Q(received_on__gte=since, status=Orientation.Status.RECUE)
        )
        .select_related("person", "partner", "recipient_organisation")
        .order_by("-answered_on", "-sent_at")
    )


def other_organisations(organisation_id: int | None):
    """Les autres organismes de l'installation, destinataires possibles d'une orientation."""
    from parcours.core.models import Organisation

    found = Organisation.objects.order_by("name")
    return found.exclude(pk=organisation_id) if organisation_id is not None else found
