"""Accueil des aides et dossier d'aide d'une personne."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from parcours.aid import policies
from parcours.aid.forms import PersonSearchForm
from parcours.aid.views.common import person_for_files, record_view, render_page
from parcours.people import services as people_services
from parcours.rules import aid_workflow as wf


@login_required
def home(request):
    if not policies.can_use_simulator(request.user):
        raise Http404("Introuvable.")
    context = {
        "can_files": policies.can_work_on_files(request.user),
        "is_manager": policies.is_manager(request.user),
        "can_figures": policies.can_see_figures(request.user),
        "can_edit_catalogue": policies.can_edit_catalogue(request.user),
        "search_form": PersonSearchForm(),
        "results": None,
    }
    if context["can_files"]:
        open_states = [s for s in wf.STATE_LABELS if s not in {wf.REFUSEE, wf.PAYEE}]
        context["pending"] = (
            policies.visible_requests(request.user)
            .filter(state__in=open_states)
            .select_related("person", "aid")
            .order_by("received_on", "id")[:30]
        )
        context["evaluations"] = (
            policies.visible_evaluations(request.user)
            .select_related("person")
            .order_by("-evaluated_on", "-id")[:10]
        )
        if request.method == "POST":
            form = PersonSearchForm(request.POST)
            context["search_form"] = form
            if form.is_valid():
                from parcours.people.queries import search_people

                context["results"] = search_people(request.user, form.cleaned_data["q"])
        shown = [*context["pending"], *context["evaluations"], *(context["results"] or [])]
        people_services.record_export(
            actor=request.user,
            what="Accueil des aides (demandes en cours, évaluations, recherche)",
            people=people_services.person_ids(shown),
            listing=True,
        )
    return render_page(request, "aid/accueil.html", context)


@login_required
def person_file(request, pk):
    person = person_for_files(request, pk)
    record_view(request, person)
    return render_page(
        request,
        "aid/personne.html",
        {
            "person": person,
            "evaluations": policies.visible_evaluations(request.user)
            .filter(person=person)
            .select_related("evaluator"),
            "requests": policies.visible_requests(request.user)
            .filter(person=person)
            .select_related("aid"),
        },
    )
