"""Pages du pilotage : tableau de bord, rapport d'activité, détail d'un chiffre, objectifs."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from parcours.cases.policies import visible_cases, visible_contacts
from parcours.core import clock
from parcours.core.once import creates_once
from parcours.core.pagination import paginate
from parcours.core.params import BadParameter, year_param
from parcours.outreach.policies import visible_offers, visible_referrals
from parcours.people import services as people_services
from parcours.people.policies import visible_people
from parcours.rules.indicators import STATUS_LABELS
from parcours.steering import (
    charts,
    drilldown,
    exports,
    policies,
    report,
    services,
    tables,
)
from parcours.steering import (
    dashboard as board,
)
from parcours.steering.forms import (
    FIRST_YEAR,
    HistoryUploadForm,
    SelectionForm,
    TargetsForm,
    field_name,
)
from parcours.steering.indicators import BY_CODE, INDICATORS


def _selection(request):
    if not policies.can_see_steering(request.user):
        raise Http404("Introuvable.")
    territories = policies.visible_territories(request.user)
    if not territories:
        raise Http404("Introuvable.")
    today = clock.today()
    year_param(request, "annee")  # format et période acceptée : sinon 400
    data = request.GET if request.GET.get("annee") else None
    form = SelectionForm(
        data,
        territories=territories,
        today=today,
        initial={"annee": today.year, "territoire": policies.territory_key(territories[0])},
    )
    if data is not None and not form.is_valid():
        if "annee" in form.errors:
            raise BadParameter(
                f"Année {data['annee']} : le pilotage couvre {FIRST_YEAR} à {today.year}."
            )
        raise Http404("Introuvable.")
    year = form.cleaned_data["annee"] if data else today.year
    key = form.cleaned_data["territoire"] if data else policies.territory_key(territories[0])
    where = policies.get_territory_or_404(request.user, key)
    return form, year, where, territories


def _query(year, where, **extra) -> str:
    return urlencode({"annee": year, "territoire": policies.territory_key(where), **extra})


@login_required
def dashboard(request):
    form, year, where, territories = _selection(request)
    organisation = request.user.organisation
    code = request.GET.get("indicateur", "PERS.IND")
    if code not in BY_CODE:
        raise Http404("Introuvable.")
    rows = board.indicator_rows(organisation, year, where)
    for row in rows:
        figure = row["indicator"].figure
        row["link"] = (
            f"{reverse('pilotage-detail')}?{_query(year, where, chiffre=figure)}" if figure else ""
        )
    kids = board.children(organisation, year, where, code, territories)
    for kid in kids:
        kid["link"] = f"{reverse('pilotage')}?{_query(year, kid['territory'], indicateur=code)}"
    return render(
        request,
        "steering/tableau_de_bord.html",
        {
            "form": form,
            "year": year,
            "where": where,
            "rows": rows,
            "indicator": BY_CODE[code],
            "indicators": INDICATORS,
            "children": kids,
            "legend": STATUS_LABELS,
            "workers": (
                board.per_social_worker(organisation, year, where)
                if where.level == report.DEPARTEMENT
                else []
            ),
            "query": _query(year, where),
            "can_set_targets": policies.can_set_targets(request.user, where),
            "nav": "pilotage",
        },
    )


@login_required
def report_page(request):
    form, year, where, _ = _selection(request)
    organisation = request.user.organisation
    document = report.build(organisation, year, where)
    series = report.evolution(organisation, year, where)
    detail = reverse("pilotage-detail")

    def link(code):
        return f"{detail}?{_query(year, where, chiffre=code)}"

    e = document["entretiens"]
    return render(
        request,
        "steering/rapport.html",
        {
            "form": form,
            "year": year,
            "where": where,
            "document": document,
            "query": _query(year, where),
            "modes": [
                (tables.label(tables.Mode, m), e["par_mode"][m], link(f"mode:{m}"))
                for m in tables.Mode.values
            ],
            "programmes": [
                (tables.label(tables.Programme, c), v, link(f"programme:{c}"))
                for c, v in document["programmes"].items()
            ],
            "links": {
                "personnes": link("personnes"),
                "entretiens": link("entretiens"),
                "face_a_face": link("face_a_face"),
                "pdp_accompagnes": link("pdp_accompagnes"),
                "pdp_clotures": link("pdp_clotures"),
                "collectif_participants": link("collectif_participants"),
                "pdp_information_collective": link("pdp_information_collective"),
                "pdp_service_medical": link("pdp_service_medical"),
                "signalements": link("signalements"),
                "offres": link("offres"),
                "offres_suivies": link("offres_suivies"),
            },
            "population": [
                (tables.SEXE_LABELS[k], v, link(f"sexe:{k}"))
                for k, v in document["personnes"]["sexe"].items()
            ]
            + [
                (tables.AGE_LABELS[k], v, link(f"age:{k}"))
                for k, v in document["personnes"]["age"].items()
            ],
            "pdp_profile": tables.pdp_profile(document),
            "pdp_outcomes": tables.pdp_outcomes(document),
            "collective": tables.collective(document),
            "departements": _departement_links(request.user, year, document),
            "history": tables.history(series),
            "evolution_chart": charts.evolution(
                "Personnes aidées et entretiens sur 5 ans",
                [s["annee"] for s in series],
                [
                    ("Personnes aidées", [s["personnes"]["total"] for s in series]),
                    ("Entretiens", [s["entretiens"]["total"] for s in series]),
                ],
                width=760,
            ),
            "nav": "pilotage",
        },
    )


def _departement_links(user, year, document) -> list[tuple[dict, str]]:
    """Chaque département du rapport, avec le lien vers son propre rapport s'il est visible."""
    visible = {policies.territory_key(t) for t in policies.visible_territories(user)}
    rows = []
    for dep in document["departements"]:
        where = report.departement_territory(dep["territoire"]["code"], {})
        key = policies.territory_key(where)
        link = f"{reverse('pilotage-rapport')}?{_query(year, where)}" if key in visible else ""
        rows.append((dep, link))
    return rows


@login_required
def export(request, fmt):
    if fmt not in {"json", "xlsx", "pdf"}:
        raise Http404("Introuvable.")
    _, year, where, _ = _selection(request)
    organisation = request.user.organisation
    document = report.build(organisation, year, where)
    name = f"rapport-activite-{year}-{policies.territory_key(where)}.{fmt}"
    if fmt == "json":
        content = json.dumps(document, ensure_ascii=False, indent=2)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    else:
        series = report.evolution(organisation, year, where)
        if fmt == "xlsx":
            response = HttpResponse(
                exports.xlsx(document, series, organisation),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(
                exports.pdf(document, series, organisation), content_type="application/pdf"
            )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def detail(request):
    form, year, where, _ = _selection(request)
    fig = drilldown.figure(request.GET.get("chiffre", ""))
    if fig is None:
        raise Http404("Introuvable.")
    scope = report.Scope(request.user.organisation_id, year, where, False)
    context = {
        "form": form,
        "year": year,
        "where": where,
        "figure": fig,
        "query": _query(year, where),
        "back": f"{reverse('pilotage-rapport')}?{_query(year, where)}",
        "nav": "pilotage",
    }
    if policies.can_see_records(request.user):
        ids = drilldown.records(scope, fig).values("pk")
        if fig.kind == drilldown.PEOPLE:
            rows = visible_people(request.user).filter(pk__in=ids).select_related("departement")
            rows = rows.order_by("last_name", "first_names", "pk")
        elif fig.kind == drilldown.CONTACTS:
            rows = (
                visible_contacts(request.user)
                .filter(pk__in=ids)
                .select_related("case__person", "staff")
                .order_by("on", "pk")
            )
        elif fig.kind == drilldown.REFERRALS:
            rows = (
                visible_referrals(request.user)
                .filter(pk__in=ids)
                .select_related("person")
                .order_by("received_on", "pk")
            )
        elif fig.kind == drilldown.OFFERS:
            rows = (
                visible_offers(request.user)
                .filter(pk__in=ids)
                .select_related("person", "campaign")
                .order_by("sent_on", "pk")
            )
        else:
            rows = (
                visible_cases(request.user)
                .filter(pk__in=ids)
                .select_related("person", "referent")
                .order_by("opened_on", "pk")
            )
        page, query = paginate(request, rows)
        people_services.record_export(
            actor=request.user,
            what=f"Détail du rapport {year} : {fig.label}",
            people=people_services.person_ids(page),
            listing=True,
            criteria={"annee": year, "chiffre": request.GET.get("chiffre", "")},
        )
        context.update({"page": page, "page_query": query, "records": True})
    else:
        context.update({"aggregates": drilldown.aggregates(scope, fig), "records": False})
    return render(request, "steering/detail.html", context)


@login_required
def targets(request):
    form, year, where, _ = _selection(request)
    if not policies.can_set_targets(request.user, where):
        raise Http404("Introuvable.")
    current = board.targets_for(request.user.organisation_id, year, where)
    initial = {field_name(code): value for code, value in current.items()}
    targets_form = TargetsForm(request.POST or None, initial=initial)
    if request.method == "POST" and targets_form.is_valid():
        changed = services.set_targets(
            actor=request.user,
            organisation_id=request.user.organisation_id,
            year=year,
            where=where,
            values=targets_form.values(),
        )
        messages.success(request, f"Objectifs {year} enregistrés ({changed} modifié(s)).")
        return redirect(f"{reverse('pilotage')}?{_query(year, where)}")
    return render(
        request,
        "steering/objectifs.html",
        {
            "form": form,
            "targets_form": targets_form,
            "year": year,
            "where": where,
            "query": _query(year, where),
            "nav": "pilotage",
        },
        status=422 if request.method == "POST" else 200,
    )


# ---------------------------------------------------------------- import d'historique (admin)


@login_required
@creates_once
def history_imports(request):
    if not policies.can_import_history(request.user):
        raise Http404("Introuvable.")
    form = HistoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.start_history_import(
            actor=request.user, upload=form.cleaned_data["archive"], dry_run=True
        )
        messages.success(request, "Essai lancé : rien n'est écrit avant votre confirmation.")
        return redirect("pilotage-historique-detail", pk=job.pk)
    return render(
        request,
        "steering/historique.html",
        {
            "form": form,
            "jobs": policies.visible_history_imports(request.user).defer("result")[:20],
            "nav": "pilotage",
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def history_import_detail(request, pk):
    job = policies.get_history_import_or_404(request.user, pk)
    if request.method == "POST":
        if not job.dry_run or job.status != job.Status.TERMINE:
            raise Http404("Introuvable.")
        real = services.start_history_import(actor=request.user, dry_run=False, previous=job)
        messages.success(request, "Import lancé.")
        return redirect("pilotage-historique-detail", pk=real.pk)
    template = "steering/partials/import.html" if request.htmx else "steering/import.html"
    errors = job.result.get("erreurs", [])[:HISTORY_ERRORS_SHOWN]
    return render(
        request,
        template,
        {"job": job, "errors": errors, "errors_shown": len(errors), "nav": "pilotage"},
    )


#: rejets affichés sur la page d'un import d'historique (la liste complète se télécharge)
HISTORY_ERRORS_SHOWN = 100


@login_required
def history_import_rejections(request, pk):
    """Tous les rejets d'un import d'historique, en CSV (lecture journalisée)."""
    from parcours.core.tabular import csv_response
    from parcours.steering import history

    job = policies.get_history_import_or_404(request.user, pk)
    history.record_rejections_read(actor=request.user, job=job)
    response, _count = csv_response(
        f"import-historique-{job.pk}-rejets.csv",
        ["fichier", "ligne", "colonne", "motif"],
        history.rejection_rows(job),
    )
    return response
