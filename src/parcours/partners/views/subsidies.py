"""Pages des subventions : appels à projets de l'année, appel et ses candidatures, candidature
et sa décision, année accordée avec ses versements et son bilan, export de l'année."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parcours.core import clock, tabular
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.core.params import year_param
from parcours.core.policies import require
from parcours.partners import policies, queries, services
from parcours.partners.forms import (
    ApplicationForm,
    CallForm,
    DecisionForm,
    GrantForm,
    PaymentForm,
    ReportForm,
)
from parcours.partners.views.common import NAV
from parcours.rules import subsidies as rules

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _status(form) -> int:
    return 422 if form.is_bound and form.errors else 200


@login_required
def call_list(request):
    require(policies.can_read_subsidies(request.user))
    today = clock.today()
    year = year_param(request, "annee", today.year)
    calls = policies.visible_calls(request.user)
    grants = policies.visible_grants(request.user)
    rows = queries.calls_with_figures(calls.filter(year=year).order_by("title", "pk"), today)
    grant_rows = queries.grants_with_payments(grants.filter(year=year))
    years = sorted(
        set(calls.order_by().values_list("year", flat=True))
        | set(queries.grant_years(grants))
        | {today.year, year},
        reverse=True,
    )
    return render(
        request,
        "partners/subventions.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "grant_rows": grant_rows,
            "totals": {
                "budget": sum((r.call.budget for r in rows), Decimal(0)),
                "granted": sum((r.granted for r in rows), Decimal(0)),
                "paid": sum((r.paid for r in rows), Decimal(0)),
                "year_granted": sum((r.grant.amount for r in grant_rows), Decimal(0)),
                "year_paid": sum((r.paid for r in grant_rows), Decimal(0)),
            },
            "can_manage": policies.can_manage_subsidies(request.user),
            "nav": NAV,
        },
    )


def _form_page(request, form, *, title, crumbs, back, status=None):
    links = [("Partenaires", reverse("partenaires")), ("Subventions", reverse("subventions"))]
    return render(
        request,
        "partners/subvention_formulaire.html",
        {"form": form, "title": title, "crumbs": links + crumbs, "back": back, "nav": NAV},
        status=status if status is not None else _status(form),
    )


@login_required
@creates_once
def call_new(request):
    require(policies.can_manage_subsidies(request.user))
    form = CallForm(request.POST or None, user=request.user, initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        data, departements = form.service_data()
        try:
            call = services.create_call(
                actor=request.user,
                organisation_id=request.user.organisation_id,
                data=data,
                departements=departements,
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'appel à projets est créé.")
            return redirect("appel", pk=call.pk)
    return _form_page(
        request, form, title="Nouvel appel à projets", crumbs=[], back=reverse("subventions")
    )


@login_required
def call_edit(request, pk):
    call = policies.get_call_or_404(request.user, pk)
    require(policies.can_manage_subsidies(request.user))
    form = CallForm(request.POST or None, user=request.user, initial=CallForm.initial_of(call))
    if request.method == "POST" and form.is_valid():
        data, departements = form.service_data()
        try:
            services.update_call(
                actor=request.user, call=call, data=data, departements=departements
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "L'appel à projets est modifié.")
            return redirect("appel", pk=call.pk)
    return _form_page(
        request,
        form,
        title="Modifier l'appel à projets",
        crumbs=[(str(call), reverse("appel", args=[call.pk]))],
        back=reverse("appel", args=[call.pk]),
    )


@login_required
def call_detail(request, pk):
    call = policies.get_call_or_404(request.user, pk)
    row = queries.calls_with_figures([call], clock.today())[0]
    return render(
        request,
        "partners/appel.html",
        {
            "call": call,
            "row": row,
            "departements": call.departements.order_by("code"),
            "applications": queries.applications_with_granted(
                policies.visible_applications(request.user).filter(call=call)
            ),
            "can_manage": policies.can_manage_subsidies(request.user),
            "nav": NAV,
        },
    )


@login_required
@creates_once
def application_new(request, pk):
    call = policies.get_call_or_404(request.user, pk)
    require(policies.can_manage_subsidies(request.user))
    form = ApplicationForm(
        request.POST or None,
        partners=policies.visible_partners(request.user),
        initial={"received_on": min(clock.today(), call.closes_on)},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partner = data.pop("partner")
        try:
            application = services.create_application(
                actor=request.user, call=call, partner=partner, data=data
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "La candidature est enregistrée.")
            return redirect("candidature", pk=application.pk)
    return _form_page(
        request,
        form,
        title="Nouvelle candidature",
        crumbs=[(str(call), reverse("appel", args=[call.pk]))],
        back=reverse("appel", args=[call.pk]),
    )


def _application_page(request, application, *, decision=None, grant_form=None, status=200):
    can_manage = policies.can_manage_subsidies(request.user)
    open_decision = can_manage and application.status not in rules.DECISIONS
    can_grant = can_manage and application.status == rules.RETAINED
    conventions = policies.visible_conventions(request.user).filter(
        partner_id=application.partner_id
    )
    allowed = rules.TRANSITIONS.get(application.status, frozenset())
    next_statuses = [(s, label) for s, label in rules.APPLICATION_LABELS.items() if s in allowed]
    return render(
        request,
        "partners/candidature.html",
        {
            "application": application,
            "call": application.call,
            "grants": queries.grants_with_payments(
                policies.visible_grants(request.user).filter(application=application)
            ),
            "decision": decision
            if decision is not None
            else (
                DecisionForm(initial={"decided_on": clock.today()}, statuses=next_statuses)
                if open_decision
                else None
            ),
            "next_statuses": next_statuses,
            "grant_form": grant_form
            if grant_form is not None
            else (
                GrantForm(conventions=conventions, initial={"year": application.call.year})
                if can_grant
                else None
            ),
            "has_conventions": conventions.exists(),
            "can_manage": can_manage,
            "nav": NAV,
        },
        status=status,
    )


@login_required
def application_detail(request, pk):
    application = policies.get_application_or_404(request.user, pk)
    return _application_page(request, application)


@login_required
@require_POST
def application_decision(request, pk):
    application = policies.get_application_or_404(request.user, pk)
    require(policies.can_manage_subsidies(request.user))
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_application_status(
                actor=request.user,
                application=application,
                status=data["status"],
                decided_on=data["decided_on"],
                refusal_reason=data["refusal_reason"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            label = rules.APPLICATION_LABELS[data["status"]].lower()
            messages.success(request, f"La candidature est {label}.")
            if request.POST.get("retour") == "appel":
                return redirect("appel", pk=application.call_id)
            return redirect("candidature", pk=application.pk)
    return _application_page(request, application, decision=form, status=422)


@login_required
@creates_once
@require_POST
def grant_new(request, pk):
    application = policies.get_application_or_404(request.user, pk)
    require(policies.can_manage_subsidies(request.user))
    form = GrantForm(
        request.POST,
        conventions=policies.visible_conventions(request.user).filter(
            partner_id=application.partner_id
        ),
    )
    if form.is_valid():
        try:
            grant = services.grant_year(
                actor=request.user, application=application, **form.cleaned_data
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, f"La subvention {grant.year} est accordée.")
            return redirect("subvention", pk=grant.pk)
    return _application_page(request, application, grant_form=form, status=422)


def _grant_page(request, grant, *, payment_form=None, status=200):
    can_manage = policies.can_manage_subsidies(request.user)
    row = queries.grants_with_payments(policies.visible_grants(request.user).filter(pk=grant.pk))[0]
    report = policies.visible_reports(request.user).filter(grant=grant).first()
    activity = queries.recorded_activity(request.user, grant)
    return render(
        request,
        "partners/subvention.html",
        {
            "grant": grant,
            "row": row,
            "application": grant.application,
            "call": grant.application.call,
            "payments": policies.visible_payments(request.user).filter(grant=grant),
            "payment_form": payment_form
            if payment_form is not None
            else (
                PaymentForm(initial={"paid_on": clock.today()})
                if can_manage and row.remaining > 0
                else None
            ),
            "report": report,
            "activity": activity,
            "gaps": {
                "sessions": report.sessions - activity.sessions,
                "participants": report.participants - activity.participants,
            }
            if report
            else None,
            "can_manage": can_manage,
            "nav": NAV,
        },
        status=status,
    )


@login_required
def grant_detail(request, pk):
    return _grant_page(request, policies.get_grant_or_404(request.user, pk))


@login_required
@creates_once
@require_POST
def payment_new(request, pk):
    grant = policies.get_grant_or_404(request.user, pk)
    require(policies.can_manage_subsidies(request.user))
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.record_payment(actor=request.user, grant=grant, **form.cleaned_data)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, "Le versement est enregistré.")
            return redirect("subvention", pk=grant.pk)
    return _grant_page(request, grant, payment_form=form, status=422)


@login_required
def report_edit(request, pk):
    grant = policies.get_grant_or_404(request.user, pk)
    require(policies.can_manage_subsidies(request.user))
    report = policies.visible_reports(request.user).filter(grant=grant).first()
    form = ReportForm(request.POST or None, initial=ReportForm.initial_of(report))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_report(actor=request.user, grant=grant, data=form.cleaned_data)
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            messages.success(request, f"Le bilan {grant.year} est enregistré.")
            return redirect("subvention", pk=grant.pk)
    call = grant.application.call
    return _form_page(
        request,
        form,
        title=f"Bilan annuel {grant.year}",
        crumbs=[
            (str(call), reverse("appel", args=[call.pk])),
            (grant.application.project_title, reverse("subvention", args=[grant.pk])),
        ],
        back=reverse("subvention", args=[grant.pk]),
    )


@login_required
def grants_export(request, fmt):
    require(policies.can_read_subsidies(request.user) and fmt in {"csv", "xlsx"})
    year = year_param(request, "annee", clock.today().year)
    rows = queries.grants_with_payments(policies.visible_grants(request.user).filter(year=year))
    lines = queries.grant_export_rows(rows)
    services.record_grants_export(actor=request.user, year=year, count=len(lines), fmt=fmt)
    name = f"subventions-{year}.{fmt}"
    if fmt == "csv":
        response, _count = tabular.csv_response(name, queries.GRANT_EXPORT_HEADER, lines)
        return response
    book = tabular.workbook()
    sheet = book.create_sheet(f"Subventions {year}")
    tabular.xlsx_rows(sheet, [queries.GRANT_EXPORT_HEADER, *lines])
    for row in sheet.iter_rows(min_row=2, min_col=8, max_col=10):
        for cell in row:
            cell.number_format = "#,##0.00"
    response = HttpResponse(tabular.xlsx_bytes(book), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
