"""Lectures du module de détection (agrégées en SQL)."""

from django.db.models import Count

from parcours.core import clock
from parcours.core.roles import Role, agent_context
from parcours.outreach import policies
from parcours.outreach.models import Referral
from parcours.rules import offers as offer_rules


def detection_figures(user) -> dict:
    ctx = agent_context(user)
    today = clock.today()
    figures = {"role": ctx.role, "today": today}
    contacts = policies.visible_front_line_contacts(user).filter(date=today)
    figures["front_line_today"] = contacts.count()
    if ctx.role in {Role.AS, Role.MANAGER}:
        referrals = policies.visible_referrals(user)
        figures["unassigned_referrals"] = referrals.filter(
            status=Referral.Status.RECU, assigned_to__isnull=True
        ).count()
        figures["my_referrals"] = referrals.filter(
            assigned_to_id=ctx.user_id,
            status__in=[Referral.Status.RECU, Referral.Status.PRIS_EN_CHARGE],
        ).count()
    if ctx.role == Role.MANAGER:
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

    Une ligne par offre (valeurs, pas d'objets) : état, date d'envoi et premier entretien de la
    personne à partir de l'envoi (sous-requête SQL).
    """
    from django.db.models import Min, OuterRef, Subquery

    from parcours.cases.models import Contact

    first_contact = (
        Contact.objects.filter(case__person_id=OuterRef("person_id"), on__gte=OuterRef("sent_on"))
        .values("case__person_id")
        .annotate(first=Min("on"))
        .values("first")[:1]
    )
    rows = (
        policies.visible_offers(user)
        .filter(campaign=campaign)
        .annotate(helped_on=Subquery(first_contact))
        .values_list("status", "sent_on", "helped_on")
    )
    return offer_rules.funnel(offer_rules.OfferFacts(*row) for row in rows)
