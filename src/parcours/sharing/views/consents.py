"""Pages du partage d'une personne : l'onglet « Partages » (consentements et partages faits),
l'enregistrement et le retrait d'un consentement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.params import choice_param
from parcours.core.policies import require
from parcours.outreach import policies as outreach_policies
from parcours.people import policies as people_policies
from parcours.people import services as people_services
from parcours.sharing import policies, queries
from parcours.sharing.forms import ConsentForm, WithdrawForm
from parcours.sharing.services import consents as services
from parcours.sharing.views.pathways import partages_sections

NAV = "personnes"


@login_required
def person_sharing(request, pk):
    person = people_policies.get_person_or_404(request.user, pk)
    require(policies.can_see_sharing(request.user, person))
    people_services.record_view(actor=request.user, person=person)
    today = clock.today()
    consents = queries.with_status(
        policies.visible_consents(request.user)
        .filter(person=person)
        .select_related("recorded_by", "withdrawal_recorded_by")
        .prefetch_related("partners", "organisations", "disclosures"),
        today,
    )
    disclosures = (
        policies.visible_disclosures(request.user)
        .filter(person=person)
        .select_related("partner", "recipient_organisation", "actor", "consent")
    )
    return render(
        request,
        "sharing/partages.html",
        {
            "person": person,
            "consents": consents,
            "disclosures": disclosures,
            "referrals_in": outreach_policies.visible_referrals(request.user)
            .filter(person=person)
            .select_related("assigned_to", "emitter_partner"),
            "can_list_referrals": outreach_policies.can_list_referrals(request.user),
            "can_record": policies.can_record_consent(request.user, person),
            "orientations": queries.orientations_of_person(
                policies.visible_orientations(request.user), person
            ),
            "can_orient": policies.can_orient(request.user, person),
            "withdraw_form": WithdrawForm(),
            "nav": NAV,
            **partages_sections(request, person),
        },
    )


@login_required
@creates_once
def consent_new(request, pk):
    person = people_policies.get_person_or_404(request.user, pk)
    require(policies.can_record_consent(request.user, person))
    form = ConsentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.record_consent(
                actor=request.user,
                person=person,
                categories=data["categories"],
                purpose=data["purpose"],
                given_on=data["given_on"],
                method=data["method"],
                given_by=data["given_by"],
                representative_name=data["representative_name"],
                partners=data["partners"],
                organisations=data.get("organisations", ()),
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le consentement est enregistré.")
            if choice_param(request, "suite", ["parcours"]) == "parcours":
                # Enregistré depuis l'ouverture d'un parcours partagé : on y revient.
                return redirect(
                    reverse("parcours-partage-nouveau", args=[person.pk])
                    + f"?consentement={consent.pk}"
                )
            return redirect("personne-partages", pk=person.pk)
    return render(
        request,
        "sharing/consentement.html",
        {"form": form, "person": person, "nav": NAV},
        status=422 if form.errors else 200,
    )


@login_required
def consent_withdraw(request, pk):
    consent = policies.get_consent_or_404(request.user, pk)
    require(policies.can_record_consent(request.user, consent.person))
    if request.method != "POST":
        return redirect("personne-partages", pk=consent.person_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_consent(
                actor=request.user,
                consent=consent,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(
                request, "Le consentement est retiré : les accès qu'il ouvrait sont fermés."
            )
            return redirect("personne-partages", pk=consent.person_id)
    return render(
        request,
        "sharing/retrait.html",
        {"form": form, "consent": consent, "person": consent.person, "nav": NAV},
        status=422,
    )
