"""Évaluations : saisie, fiche, transmission à l'organisme compétent et son courrier."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from parcours.aid import letters, policies, services
from parcours.aid.forms import EvaluationForm
from parcours.aid.views.common import person_for_files, record_view, render_page
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.pdf import pdf_response
from parcours.people import services as people_services
from parcours.rules import evaluation as evaluation_rules


@login_required
@creates_once
def new_evaluation(request, pk):
    person = person_for_files(request, pk)
    form = EvaluationForm(
        request.POST or None, conventions=policies.visible_conventions(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.record_evaluation(
                actor=request.user,
                person=person,
                evaluated_on=data["evaluated_on"],
                kind=data["kind"],
                place=data["place"],
                situation=data["situation"],
                convention=data["convention"],
                grid=form.grid(),
                plan=form.plan(),
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, f"L'évaluation est enregistrée : GIR {evaluation.gir}.")
            return redirect("aide-evaluation", pk=evaluation.pk)
    return render_page(
        request, "aid/evaluation_nouvelle.html", {"form": form, "person": person}, 200
    )


def _evaluation_context(evaluation):
    from parcours.rules import aggir

    return {
        "evaluation": evaluation,
        "person": evaluation.person,
        "grid": [
            (v, aggir.VARIABLE_LABELS[v], getattr(evaluation, v.lower())) for v in aggir.VARIABLES
        ],
        "body_label": evaluation_rules.BODY_LABELS[evaluation.competent_body],
        "recipient": services.handover_recipient(evaluation),
        "transmission": getattr(evaluation, "transmission", None),
        "plan_lines": evaluation.plan_lines.all(),
    }


@login_required
def evaluation_detail(request, pk):
    evaluation = policies.get_evaluation_or_404(request.user, pk)
    record_view(request, evaluation.person)
    return render_page(request, "aid/evaluation.html", _evaluation_context(evaluation))


@login_required
@require_POST
@creates_once
def transmit_evaluation(request, pk):
    evaluation = policies.get_evaluation_or_404(request.user, pk)
    try:
        services.record_transmission(actor=request.user, evaluation=evaluation)
    except BusinessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "La transmission est enregistrée : imprimez le courrier.")
    return redirect("aide-evaluation", pk=evaluation.pk)


@login_required
def transmission_pdf(request, pk):
    evaluation = policies.get_evaluation_or_404(request.user, pk)
    if not hasattr(evaluation, "transmission"):
        raise Http404("Introuvable.")
    context = _evaluation_context(evaluation) | {"organisation": request.user.organisation}
    pdf = letters.render_pdf("aid/pdf/transmission.html", context)
    people_services.record_export(
        actor=request.user,
        what=f"Transmission de l'évaluation n°{evaluation.pk}",
        people=[evaluation.person_id],
        obj=evaluation,
    )
    return pdf_response(pdf, "transmission.pdf")
