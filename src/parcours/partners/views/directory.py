"""Pages de l'annuaire des partenaires : liste, fiche, formulaires."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parcours.core import clock
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.pagination import paginate
from parcours.core.params import choice_param, text_param
from parcours.core.policies import require
from parcours.partners import policies, queries, services
from parcours.partners.forms import ContactForm, ConventionForm, MergeForm, PartnerForm
from parcours.partners.models import Partner
from parcours.partners.views.common import NAV


@login_required
def partner_list(request):
    require(policies.can_read_directory(request.user))
    departements = list(queries.organisation_departements(request.user.organisation_id))
    text = text_param(request, "q")
    kind = choice_param(request, "type", Partner.Kind.values)
    departement = choice_param(request, "departement", [d.code for d in departements])
    to_verify = choice_param(request, "a_verifier", ["1"]) == "1"
    partners = queries.search_partners(
        policies.visible_partners(request.user),
        text=text,
        kind=kind,
        departement=departement,
        to_verify=to_verify,
    )
    page, query = paginate(request, partners.prefetch_related("territories"))
    return render(
        request,
        "partners/liste.html",
        {
            "page": page,
            "query": query,
            "text": text,
            "kind": kind,
            "departement": departement,
            "to_verify": to_verify,
            "to_verify_count": policies.visible_partners(request.user)
            .filter(to_verify=True)
            .count(),
            "kinds": Partner.Kind.choices,
            "departements": departements,
            "can_manage": policies.can_manage_directory(request.user),
            "can_read_subsidies": policies.can_read_subsidies(request.user),
            "sees_orientations": policies.sees_orientations_link(request.user),
            "nav": NAV,
        },
    )


@login_required
def partner_detail(request, pk):
    partner = policies.get_partner_or_404(request.user, pk)
    today = clock.today()
    return render(
        request,
        "partners/partenaire.html",
        {
            "partner": partner,
            "territories": partner.territories.order_by("code"),
            "contacts": policies.visible_contacts(request.user).filter(partner=partner),
            "conventions": queries.with_status(
                policies.visible_conventions(request.user)
                .filter(partner=partner)
                .prefetch_related("territories")
                .order_by("-end", "pk"),
                today,
            ),
            "hosted_sites": partner.hosted_sites.select_related("commune").order_by("name"),
            "can_manage": policies.can_manage_directory(request.user),
            "applications": queries.applications_with_granted(
                policies.visible_applications(request.user).filter(partner=partner)
            )
            if policies.can_read_subsidies(request.user)
            else None,
            "can_review": policies.can_review_partner(request.user, partner),
            "sees_orientations": policies.sees_orientations_link(request.user),
            "nav": NAV,
        },
    )


@login_required
@require_POST
def partner_confirm(request, pk):
    partner = policies.get_partner_or_404(request.user, pk)
    require(policies.can_review_partner(request.user, partner))
    services.confirm_partner(actor=request.user, partner=partner)
    messages.success(request, "Le partenaire est vérifié.")
    return redirect("partenaire", pk=partner.pk)


@login_required
def partner_merge(request, pk):
    source = policies.get_partner_or_404(request.user, pk)
    require(policies.can_review_partner(request.user, source))
    form = MergeForm(request.POST or None, user=request.user, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.merge_partners(
                actor=request.user, source=source, target=form.cleaned_data["target"]
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, f"« {source.name} » est fusionné dans « {target.name} ».")
            return redirect("partenaire", pk=target.pk)
    return _form_page(
        request, form, title=f"Fusionner « {source.name} »", partner=source, back=source
    )


def _form_page(request, form, *, title, partner=None, back):
    return render(
        request,
        "partners/formulaire.html",
        {"form": form, "title": title, "partner": partner, "back": back, "nav": NAV},
        status=422 if form.errors else 200,
    )


@login_required
@creates_once
def partner_new(request):
    require(policies.can_manage_directory(request.user))
    form = PartnerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data, territories = form.service_data()
        try:
            partner = services.create_partner(
                actor=request.user,
                organisation_id=request.user.organisation_id,
                data=data,
                territories=territories,
                hosted_sites=data.pop("hosted_sites"),
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le partenaire est ajouté à l'annuaire.")
            return redirect("partenaire", pk=partner.pk)
    return _form_page(request, form, title="Nouveau partenaire", back=None)


@login_required
def partner_edit(request, pk):
    partner = policies.get_partner_or_404(request.user, pk)
    require(policies.can_manage_directory(request.user))
    form = PartnerForm(
        request.POST or None, user=request.user, initial=PartnerForm.initial_of(partner)
    )
    if request.method == "POST" and form.is_valid():
        data, territories = form.service_data()
        try:
            services.update_partner(
                actor=request.user,
                partner=partner,
                data=data,
                territories=territories,
                hosted_sites=data.pop("hosted_sites"),
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le partenaire est modifié.")
            return redirect("partenaire", pk=partner.pk)
    return _form_page(request, form, title="Modifier le partenaire", partner=partner, back=partner)


@login_required
@creates_once
def contact_new(request, pk):
    partner = policies.get_partner_or_404(request.user, pk)
    require(policies.can_manage_directory(request.user))
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.create_contact(actor=request.user, partner=partner, data=form.cleaned_data)
        messages.success(request, "Le contact est ajouté.")
        return redirect("partenaire", pk=partner.pk)
    return _form_page(request, form, title="Nouveau contact", partner=partner, back=partner)


@login_required
def contact_edit(request, pk):
    contact = policies.get_contact_or_404(request.user, pk)
    require(policies.can_manage_directory(request.user))
    form = ContactForm(request.POST or None, initial=ContactForm.initial_of(contact))
    if request.method == "POST" and form.is_valid():
        services.update_contact(actor=request.user, contact=contact, data=form.cleaned_data)
        messages.success(request, "Le contact est modifié.")
        return redirect("partenaire", pk=contact.partner_id)
    return _form_page(
        request, form, title="Modifier le contact", partner=contact.partner, back=contact.partner
    )


@login_required
@creates_once
def convention_new(request, pk):
    partner = policies.get_partner_or_404(request.user, pk)
    require(policies.can_manage_directory(request.user))
    form = ConventionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data, territories = form.service_data()
        try:
            services.create_convention(
                actor=request.user, partner=partner, data=data, territories=territories
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La convention est enregistrée.")
            return redirect("partenaire", pk=partner.pk)
    return _form_page(request, form, title="Nouvelle convention", partner=partner, back=partner)


@login_required
def convention_edit(request, pk):
    convention = policies.get_convention_or_404(request.user, pk)
    require(policies.can_manage_directory(request.user))
    form = ConventionForm(
        request.POST or None, user=request.user, initial=ConventionForm.initial_of(convention)
    )
    if request.method == "POST" and form.is_valid():
        data, territories = form.service_data()
        try:
            services.update_convention(
                actor=request.user, convention=convention, data=data, territories=territories
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La convention est modifiée.")
            return redirect("partenaire", pk=convention.partner_id)
    partner = convention.partner
    return _form_page(request, form, title="Modifier la convention", partner=partner, back=partner)
