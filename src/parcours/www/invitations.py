"""Page « Invitations » d'une action collective : elle compose deux domaines.

Inviter une liste faite à la main (recherche de personnes), les personnes d'un ciblage ou d'une
campagne de la Détection (``outreach.policies``, périmètre de l'agent), et envoyer les
invitations par courriel ou SMS (``groups.services.send_invitations``). Même URL
(``/collectif/actions/<pk>/invitations/``), même nom et même gabarit qu'avant ; les actions
collectives, sous la Détection dans les couches, n'importent plus celle-ci.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from parcours.core.once import creates_once
from parcours.core.policies import require
from parcours.groups import policies, queries, services
from parcours.groups.forms import FromDetectionForm, PersonSearchForm, SendInvitationsForm
from parcours.groups.models import Invitation
from parcours.groups.views.common import NAV, personal_link
from parcours.outreach import policies as outreach_policies
from parcours.outreach.models import TargetingRun
from parcours.people import services as people_services
from parcours.people.policies import visible_people
from parcours.people.queries import search_people


@login_required
@creates_once
def invitations(request, pk):
    """Inviter à partir d'une liste faite à la main : rechercher, cocher, inviter."""
    action = policies.get_action_or_404(request.user, pk)
    require(policies.can_manage_action(request.user, action))
    search = PersonSearchForm(request.POST if "rechercher" in request.POST else None)
    results = []
    if search.is_bound and search.is_valid():
        results = search_people(request.user, search.cleaned_data["q"])
    if "inviter" in request.POST:
        ids = [int(i) for i in request.POST.getlist("personnes") if i.isdigit()]
        people = list(visible_people(request.user).filter(pk__in=ids))
        if not people:
            messages.error(request, "Cochez au moins une personne à inviter.")
        else:
            created, existing = services.invite(actor=request.user, action=action, people=people)
            messages.success(
                request,
                f"{len(created)} invitation{'s' if len(created) > 1 else ''} ajoutée"
                f"{'s' if len(created) > 1 else ''}"
                + (
                    f" ; {len(existing)} déjà invitée{'s' if len(existing) > 1 else ''}."
                    if existing
                    else "."
                ),
            )
        return redirect("collectif-invitations", pk=action.pk)
    if "depuis_detection" in request.POST:
        _invite_from_detection(request, action)
        return redirect("collectif-invitations", pk=action.pk)
    send = SendInvitationsForm(request.POST if "envoyer" in request.POST else None)
    if send.is_bound:
        if send.is_valid():
            _send_invitations(request, action, send.cleaned_data["canal"])
        return redirect("collectif-invitations", pk=action.pk)
    detection = FromDetectionForm(
        runs=outreach_policies.invitable_runs(request.user).order_by("-extraction_date", "-id")[
            :50
        ],
        campaigns=outreach_policies.visible_campaigns(request.user)[:50],
    )
    rows = (
        policies.visible_invitations(request.user)
        .filter(action=action)
        .select_related("person")
        .order_by("person__last_name", "person__first_names")
    )
    registered = queries.registrations_by_person(action)
    rows = list(rows)
    people_services.record_export(
        actor=request.user,
        what=f"Invitations de l'action n°{action.pk}",
        people=people_services.person_ids([*rows, *results]),
        obj=action,
        listing=True,
    )
    return render(
        request,
        "groups/invitations.html",
        {
            "action": action,
            "search": search,
            "results": results,
            "searched": search.is_bound,
            "rows": [(i, personal_link(request, i), registered.get(i.person_id, 0)) for i in rows],
            "detection": detection,
            "from_detection": outreach_policies.can_manage_targeting(request.user),
            "send": send,
            "questionnaires": services.applicable_questionnaires(action),
            "nav": NAV,
        },
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def _invite_from_detection(request, action):
    """Invite les personnes d'un ciblage ou d'une campagne du périmètre de l'agent (sinon 404) ;
    les personnes déjà invitées sont comptées, pas invitées deux fois."""
    run_pk = request.POST.get("ciblage", "")
    campaign_pk = request.POST.get("campagne", "")
    if run_pk.isdigit() == campaign_pk.isdigit():
        messages.error(request, "Choisissez un ciblage ou une campagne (l'un des deux).")
        return
    if run_pk.isdigit():
        run = outreach_policies.get_run_or_404(request.user, int(run_pk))
        if run.dry_run or run.status != TargetingRun.Status.TERMINE:
            raise Http404("Introuvable.")
        people, origin = (
            outreach_policies.people_of_run(request.user, run),
            f"du ciblage n°{run.pk}",
        )
    else:
        campaign = outreach_policies.get_campaign_or_404(request.user, int(campaign_pk))
        people = outreach_policies.people_of_campaign(request.user, campaign)
        origin = f"de la campagne « {campaign.name} »"
    people = list(people.order_by("last_name", "first_names", "pk"))
    if not people:
        messages.info(request, f"Aucune personne {origin} dans vos départements.")
        return
    created, existing = services.invite(
        actor=request.user, action=action, people=people, source=Invitation.Source.CIBLAGE
    )
    messages.success(
        request,
        f"Personnes {origin} : {_plural(len(created), 'invitation')} "
        f"ajoutée{'s' if len(created) > 1 else ''} ; "
        f"{_plural(len(existing), 'personne')} déjà invitée{'s' if len(existing) > 1 else ''}.",
    )


def _send_invitations(request, action, channel):
    invitations = list(
        policies.visible_invitations(request.user)
        .filter(action=action)
        .select_related("person", "action")
        .order_by("person__last_name", "person__first_names")
    )
    sent, unreachable = services.send_invitations(
        actor=request.user,
        invitations=invitations,
        channel=channel,
        link=lambda invitation: personal_link(request, invitation),
    )
    label = "courriel" if channel == "EMAIL" else "SMS"
    messages.success(
        request,
        f"{_plural(len(sent), 'invitation')} envoyée{'s' if len(sent) > 1 else ''} par {label}.",
    )
    if unreachable:
        names = ", ".join(str(i.person) for i in unreachable[:20])
        more = f" et {len(unreachable) - 20} autres" if len(unreachable) > 20 else ""
        missing = "courriel" if channel == "EMAIL" else "téléphone mobile"
        messages.warning(
            request,
            f"{_plural(len(unreachable), 'personne')} sans {missing}, à inviter par courrier : "
            f"{names}{more}.",
        )
