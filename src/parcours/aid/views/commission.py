"""Commission : séances, ordre du jour, décisions, clôture et documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from parcours.aid import letters, policies, services
from parcours.aid.forms import CommissionDecisionForm, SessionForm
from parcours.aid.views.common import manager_only, render_page
from parcours.aid.views.requests import decide_with_form
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.pdf import pdf_response
from parcours.people import services as people_services
from parcours.rules import aid_rules
from parcours.rules import aid_workflow as wf


@login_required
@creates_once
def sessions(request):
    manager_only(request)
    form = SessionForm(request.POST or None, departements=request.agent.departements)
    if request.method == "POST" and form.is_valid():
        session = services.create_session(
            actor=request.user,
            organisation_id=request.agent.organisation_id,
            departement_id=form.cleaned_data["departement"],
            held_on=form.cleaned_data["held_on"],
        )
        count = services.build_agenda(actor=request.user, session=session)
        messages.success(
            request, f"Séance créée : {count} dossier(s) inscrit(s) à l'ordre du jour."
        )
        return redirect("aide-commission", pk=session.pk)
    return render_page(
        request,
        "aid/commissions.html",
        {"form": form, "sessions": policies.visible_sessions(request.user)},
    )


def _session_context(request, session, forms=None):
    agenda = list(session.requests.select_related("person", "aid").order_by("completed_on", "id"))
    forms = forms or {}
    rows = []
    for item in agenda:
        form = forms.get(item.pk)
        if form is None and item.state == wf.EN_COMMISSION:
            form = CommissionDecisionForm(
                prefix=f"d{item.pk}", initial={"amount": item.proposed_amount}
            )
        rows.append({"req": item, "form": form})
    return {"session": session, "rows": rows, "euros": aid_rules.euros}


@login_required
def session_detail(request, pk):
    session = policies.get_session_or_404(request.user, pk)
    context = _session_context(request, session)
    people_services.record_export(
        actor=request.user,
        what=f"Ordre du jour de la commission n°{session.pk}",
        people=people_services.person_ids(row["req"] for row in context["rows"]),
        obj=session,
        listing=True,
    )
    return render_page(request, "aid/commission.html", context)


@login_required
@require_POST
def session_decide(request, pk, request_pk):
    session = policies.get_session_or_404(request.user, pk)
    aid_request = policies.get_session_request_or_404(request.user, session, request_pk)
    form = CommissionDecisionForm(request.POST, prefix=f"d{aid_request.pk}")
    if form.is_valid():
        try:
            decide_with_form(request, aid_request, form)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, f"Décision enregistrée pour {aid_request.person}.")
            return redirect("aide-commission", pk=session.pk)
    context = _session_context(request, session, {aid_request.pk: form})
    return render_page(request, "aid/commission.html", context, status=422)


@login_required
@require_POST
def session_agenda_refresh(request, pk):
    session = policies.get_session_or_404(request.user, pk)
    try:
        count = services.build_agenda(actor=request.user, session=session)
    except BusinessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{count} dossier(s) ajouté(s) à l'ordre du jour.")
    return redirect("aide-commission", pk=session.pk)


@login_required
@require_POST
def session_close(request, pk):
    session = policies.get_session_or_404(request.user, pk)
    try:
        services.close_session(actor=request.user, session=session)
    except BusinessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "La séance est close : le procès-verbal est disponible.")
    return redirect("aide-commission", pk=session.pk)


@login_required
def session_pdf(request, pk, document):
    session = policies.get_session_or_404(request.user, pk)
    template = {
        "ordre-du-jour": "aid/pdf/ordre_du_jour.html",
        "proces-verbal": "aid/pdf/proces_verbal.html",
    }
    if document not in template:
        raise Http404("Introuvable.")
    context = _session_context(request, session) | {"organisation": request.user.organisation}
    pdf = letters.render_pdf(template[document], context)
    people_services.record_export(
        actor=request.user,
        what=f"Commission n°{session.pk} : {document.replace('-', ' ')} (PDF)",
        people=people_services.person_ids(row["req"] for row in context["rows"]),
        obj=session,
    )
    return pdf_response(pdf, f"{document}.pdf")
