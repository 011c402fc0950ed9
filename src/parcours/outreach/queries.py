"""Lectures du module de détection (agrégées en SQL)."""

from django.db.models import Count

from parcours.core import clock
from parcours.core.nomenclatures import StatutOffre
from parcours.core.roles import agent_context
from parcours.groups.models import Invitation
from parcours.outreach import letters, policies
from parcours.outreach.models import LetterBatch, Referral, TargetingRule
from parcours.rules import offers as offer_rules
from parcours.rules import targeting


def detection_figures(user) -> dict:
    """Les chiffres du jour de l'accueil de la détection ; chaque tuile selon les droits."""
    ctx = agent_context(user)
    today = clock.today()
    figures = {
        "today": today,
        "referrals": policies.can_list_referrals(user),
        "targeting": policies.can_manage_targeting(user),
    }
    contacts = policies.visible_front_line_contacts(user).filter(date=today)
    figures["front_line_today"] = contacts.count()
    if figures["referrals"]:
        referrals = policies.visible_referrals(user)
        figures["unassigned_referrals"] = referrals.filter(
            status=Referral.Status.RECU, assigned_to__isnull=True
        ).count()
        figures["my_referrals"] = referrals.filter(
            assigned_to_id=ctx.user_id,
            status__in=[Referral.Status.RECU, Referral.Status.PRIS_EN_CHARGE],
        ).count()
    if figures["targeting"]:
        figures["runs"] = policies.visible_runs(user).count()
        figures["campaigns"] = policies.visible_campaigns(user).count()
    return figures


def referral_counts_by_status(user) -> dict:
    return dict(
        policies.visible_referrals(user)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def front_line_counts(user, since, until) -> dict:
    """Contacts d'accueil comptés par jour, par lieu et par agent (SQL), et par canal."""
    contacts = policies.visible_front_line_contacts(user).filter(date__gte=since, date__lte=until)
    by_day = list(contacts.values("date").annotate(n=Count("id")).order_by("-date"))
    by_site = list(
        contacts.values("site__name").annotate(n=Count("id")).order_by("-n", "site__name")
    )
    by_agent = list(
        contacts.values("agent__first_name", "agent__last_name")
        .annotate(n=Count("id"))
        .order_by("-n", "agent__last_name")
    )
    by_channel = dict(
        contacts.values_list("channel").annotate(n=Count("id")).values_list("channel", "n")
    )
    by_answer = dict(
        contacts.values_list("answer").annotate(n=Count("id")).values_list("answer", "n")
    )
    return {
        "total": contacts.count(),
        "by_day": by_day,
        "by_site": by_site,
        "by_agent": by_agent,
        "by_channel": by_channel,
        "by_answer": by_answer,
    }


def campaign_funnel(user, campaign) -> dict:
    """L'entonnoir de la campagne (offres de l'agent visibles), compté par rules.offers.

    Une ligne par offre (valeurs, pas d'objets) : état, date d'envoi et premier jour où la
    personne a été aidée à partir de l'envoi — entretien ou présence à une séance collective
    (``groups.Registration`` ``present=True``) —, le plus tôt des deux (sous-requêtes SQL).
    """
    from django.db.models import Min, OuterRef, Subquery
    from django.db.models.functions import Coalesce, Least

    from parcours.cases.models import Contact
    from parcours.groups.models import Registration

    first_contact = (
        Contact.objects.filter(case__person_id=OuterRef("person_id"), on__gte=OuterRef("sent_on"))
        .values("case__person_id")
        .annotate(first=Min("on"))
        .values("first")[:1]
    )
    first_session = (
        Registration.objects.filter(
            person_id=OuterRef("person_id"), present=True, session__date__gte=OuterRef("sent_on")
        )
        .values("person_id")
        .annotate(first=Min("session__date"))
        .values("first")[:1]
    )
    rows = (
        policies.visible_offers(user)
        .filter(campaign=campaign)
        .annotate(contact_on=Subquery(first_contact), session_on=Subquery(first_session))
        # LEAST ignores NULL on PostgreSQL, not on SQLite: both sides are coalesced.
        .annotate(
            helped_on=Least(
                Coalesce("contact_on", "session_on"), Coalesce("session_on", "contact_on")
            )
        )
        .values_list("status", "sent_on", "helped_on")
    )
    return offer_rules.funnel(offer_rules.OfferFacts(*row) for row in rows)


def campaigns_with_offer_counts(user):
    """Les campagnes visibles de l'agent, chacune avec son nombre d'offres (``n``)."""
    return policies.visible_campaigns(user).annotate(n=Count("offers"))


def upcoming_sessions(campaign) -> list:
    """Les séances à venir de la réunion d'information proposée par ``campaign``."""
    if not campaign.group_action_id:
        return []
    return list(
        campaign.group_action.sessions.filter(date__gte=clock.today()).select_related("site")
    )


def organisation_departements(organisation):
    """Les départements de l'organisme (choix de la règle de ciblage)."""
    from parcours.core.models import Departement

    return Departement.objects.filter(code__in=organisation.departements.values("code"))


def agent_departements(user) -> list[str]:
    """Les codes des départements d'intervention de l'agent, triés."""
    return sorted(agent_context(user).departements)


def team_social_workers(user):
    """Les AS actives qui interviennent dans les départements de l'agent (sans doublon)."""
    from parcours.core.models import User
    from parcours.core.queries import social_workers

    ctx = agent_context(user)
    workers = User.objects.none()
    for code in sorted(ctx.departements):
        workers = workers | social_workers(ctx.organisation_id, code)
    return workers.distinct()


# --- Agenda -------------------------------------------------------------------------------


def _local_naive(value):
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None)


def local_now():
    """Maintenant, en heure locale sans fuseau (l'unité des créneaux de ``rules.agenda``)."""
    return _local_naive(clock.now())


def free_slots(user, staff_ids, first_day, days, not_before=None):
    """Créneaux libres des AS ``staff_ids`` (plages hebdomadaires moins rendez-vous pris)."""
    import datetime

    from django.utils import timezone

    from parcours.outreach.models import Appointment, Permanence
    from parcours.rules import agenda

    permanences = {
        p.pk: p
        for p in Permanence.objects.filter(
            organisation_id=agent_context(user).organisation_id, staff_id__in=staff_ids
        ).select_related("staff", "site")
    }
    start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))
    booked_by_staff: dict[int, list] = {}
    for staff_id, starts_at, minutes in Appointment.objects.filter(
        staff_id__in=staff_ids,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=days + 1),
        status__in=[Appointment.Status.PREVU, Appointment.Status.HONORE],
    ).values_list("staff_id", "starts_at", "duration_minutes"):
        begin = _local_naive(starts_at)
        booked_by_staff.setdefault(staff_id, []).append(
            (begin, begin + datetime.timedelta(minutes=minutes))
        )
    slots = []
    for staff_id in staff_ids:
        mine = [
            agenda.Availability(
                p.pk, p.weekday, p.start, p.end, p.slot_minutes, p.valid_from, p.valid_until
            )
            for p in permanences.values()
            if p.staff_id == staff_id
        ]
        slots += agenda.free_slots(
            mine, booked_by_staff.get(staff_id, []), first_day, days, not_before
        )
    slots.sort(key=lambda s: (s[0], s[2]))
    return [(s, e, permanences[key]) for s, e, key in slots]


def right_social_workers(person) -> list[int]:
    """L'AS qui doit recevoir la personne : référente d'un accompagnement ouvert, sinon l'AS du
    secteur de sa commune, sinon toutes les AS du département."""
    from parcours.cases.models import Case
    from parcours.core.models import Sector
    from parcours.core.queries import social_workers

    referent = (
        Case.objects.filter(person=person, state=Case.State.OUVERT, referent__isnull=False)
        .order_by("-opened_on")
        .values_list("referent_id", flat=True)
        .first()
    )
    if referent:
        return [referent]
    if person.commune_id:
        sector_as = (
            Sector.objects.filter(
                organisation_id=person.organisation_id,
                communes=person.commune_id,
                social_worker__isnull=False,
            )
            .values_list("social_worker_id", flat=True)
            .first()
        )
        if sector_as:
            return [sector_as]
    return list(
        social_workers(person.organisation_id, person.departement_id).values_list("id", flat=True)
    )


def requests_with_standard(user, today, assigned_to=None):
    """Demandes en attente des départements de l'agent avec leur situation / norme des 15 jours."""
    from parcours.outreach.models import AppointmentRequest
    from parcours.rules import agenda

    pending = (
        policies.visible_requests(user)
        .filter(status=AppointmentRequest.Status.EN_ATTENTE)
        .select_related("person", "assigned_to")
        .order_by("received_on", "id")
    )
    if assigned_to is not None:
        pending = pending.filter(assigned_to=assigned_to)
    rows = []
    for r in pending[:100]:
        status = agenda.standard_status(r.received_on, today)
        rows.append(
            {
                "request": r,
                "status": status,
                "label": agenda.STATUS_LABELS[status],
                "deadline": agenda.deadline(r.received_on),
            }
        )
    return rows


def rule_catalogue(organisation) -> list[dict]:
    """Chaque règle du catalogue (``rules.targeting``) avec les paramètres de l'organisme (ceux
    par défaut pour une règle jamais réglée) : code, nom, genre de fichier, programme, phrase."""
    from parcours.core.nomenclatures import Programme
    from parcours.outreach.models import TargetingRule
    from parcours.rules import targeting

    stored = {r.code: r for r in TargetingRule.objects.filter(organisation=organisation)}
    rows = []
    for code, spec in targeting.RULES.items():
        rule = stored.get(code)
        params, _errors = targeting.clean_parameters(code, rule.parameters if rule else None)
        rows.append(
            {
                "code": code,
                "name": rule.name if rule else spec.label,
                "source": targeting.SOURCES[spec.source],
                "programme": Programme(rule.programme if rule else spec.programme).label,
                "text": targeting.describe(code, params),
            }
        )
    return rows


def runs_for_list(user):
    """Les ciblages de l'organisme pour une liste : sans les colonnes lourdes (motifs de rejet,
    résumé, paramètres, message), qu'une liste n'affiche jamais."""
    from parcours.outreach.models import TargetingRun

    return (
        policies.visible_runs(user)
        .defer(*TargetingRun.HEAVY_FIELDS)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def letter_offers(user, campaign, *, reminder: bool = False) -> list:
    """Les offres de ``campaign`` que ``user`` voit, dans l'ordre des courriers (nom) ;
    ``reminder`` : seulement celles qui attendent encore une réponse (courriers de relance)."""
    offers = (
        policies.visible_offers(user)
        .filter(campaign=campaign)
        .select_related("person", "person__commune")
        .order_by("person__last_name_key", "id")
    )
    if reminder:
        offers = offers.filter(status__in=[StatutOffre.ENVOYEE, StatutOffre.SANS_REPONSE])
    return list(offers)


def campaign_letters_state(user, campaign) -> dict:
    """Les courriers de la campagne vus de sa page : les offres sans adresse postale (pas de
    courrier : à appeler ou à visiter) et, pour une réunion d'information, le nombre de
    destinataires sans invitation (« Préparer les courriers » les crée)."""
    addressed, unaddressed = letters.split_by_address(letter_offers(user, campaign))
    to_prepare = 0
    if campaign.group_action_id:
        invited = set(
            Invitation.objects.filter(
                action_id=campaign.group_action_id,
                person_id__in=[o.person_id for o in addressed],
            ).values_list("person_id", flat=True)
        )
        to_prepare = sum(1 for o in addressed if o.person_id not in invited)
    return {
        "addressed": len(addressed),
        "unaddressed": unaddressed,
        "to_prepare": to_prepare,
        "background": letters.in_background(len(addressed)),
        "batch": letter_batch(user, campaign, reminder=False),
        "reminder_batch": letter_batch(user, campaign, reminder=True),
    }


def letter_batch(user, campaign, *, reminder: bool):
    """Le dernier lot de courriers (tâche de fond) que ``user`` a demandé pour ``campaign``."""
    return (
        LetterBatch.objects.filter(campaign=campaign, created_by=user, reminder=reminder)
        .defer("pdf")
        .first()
    )


def letter_batch_pdf(batch) -> bytes:
    """Le PDF d'un lot prêt (lu à part : la liste des lots ne le charge pas)."""
    return bytes(LetterBatch.objects.values_list("pdf", flat=True).get(pk=batch.pk))


def rule_or_default(organisation, code: str):
    """La règle ``code`` de l'organisme, ou, si elle n'a jamais été réglée, une règle non
    enregistrée avec les paramètres par défaut (une page lue n'écrit rien)."""
    found = TargetingRule.objects.filter(organisation=organisation, code=code).first()
    if found is not None:
        return found
    spec = targeting.RULES[code]
    return TargetingRule(
        organisation=organisation,
        code=code,
        name=spec.label,
        programme=spec.programme,
        parameters=dict(spec.defaults),
    )
