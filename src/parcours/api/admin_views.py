"""Administration des jetons d'API : liste (dernier usage), émission (le jeton montré une fois),
révocation. Administrateur de l'organisme seulement, comme le reste de l'administration."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from parcours.api import policies, services
from parcours.api.forms import ApiTokenForm
from parcours.core import clock
from parcours.core.admin_views.access import admin_view, crumbs, form_page
from parcours.core.exceptions import BusinessError
from parcours.core.forms import apply_business_errors
from parcours.core.once import creates_once
from parcours.rules import api_access

#: La clé de session où le jeton émis attend d'être montré, une fois.
SHOWN_ONCE = "api_jeton_a_montrer"


def _page(request, template, **context):
    return render(request, f"api/{template}", {"nav": "administration", **context})


@admin_view
@require_safe
def tokens(request, organisation):
    if not policies.can_manage_tokens(request.user):
        raise Http404("Introuvable.")
    today = clock.today()
    rows = [
        {
            "token": token,
            "active": api_access.is_active(
                expires_on=token.expires_on, revoked=token.revoked_at is not None, today=today
            ),
        }
        for token in policies.visible_tokens(request.user).select_related(
            "partner", "peer", "created_by"
        )
    ]
    return _page(request, "jetons.html", title="Jetons d'API", crumbs=crumbs(), rows=rows)


@admin_view
@creates_once
def token_new(request, organisation):
    if not policies.can_manage_tokens(request.user):
        raise Http404("Introuvable.")
    form = ApiTokenForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        partner, peer = form.holder_objects()
        try:
            token, secret = services.issue_token(
                actor=request.user,
                organisation=organisation,
                partner=partner,
                peer=peer,
                scopes=form.cleaned_data["scopes"],
                expires_on=form.cleaned_data["expires_on"],
                label=form.cleaned_data["label"],
            )
        except BusinessError as error:
            apply_business_errors(form, error)
        else:
            request.session[SHOWN_ONCE] = {"pk": token.pk, "secret": secret}
            return redirect("api-jeton", pk=token.pk)
    response = form_page(
        request,
        form=form,
        title="Nouveau jeton d'API",
        back=reverse("api-jetons"),
        crumbs=crumbs(("Jetons d'API", "api-jetons")),
    )
    if form.errors:
        response.status_code = 422
    return response


@admin_view
@require_safe
def token_detail(request, organisation, pk):
    token = policies.get_token_or_404(request.user, pk)
    pending = request.session.get(SHOWN_ONCE) or {}
    secret = ""
    if pending.get("pk") == token.pk:
        secret = pending["secret"]
        del request.session[SHOWN_ONCE]
    active = api_access.is_active(
        expires_on=token.expires_on, revoked=token.revoked_at is not None, today=clock.today()
    )
    return _page(
        request,
        "jeton.html",
        title=f"Jeton {token.prefix}…",
        crumbs=crumbs(("Jetons d'API", "api-jetons")),
        token=token,
        secret=secret,
        active=active,
    )


@admin_view
@require_POST
def token_revoke(request, organisation, pk):
    token = policies.get_token_or_404(request.user, pk)
    try:
        services.revoke_token(actor=request.user, token=token)
    except BusinessError as error:
        messages.error(request, "; ".join(error.errors.values()))
    else:
        messages.success(request, "Le jeton est révoqué : il ne donne plus accès à l'API.")
    return redirect("api-jeton", pk=token.pk)
