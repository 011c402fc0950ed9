"""Accès à l'administration et gabarits communs de ses pages."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from parcours.core import policies


def admin_view(view):
    """Connexion exigée, puis administrateur de l'organisme ou 404 ; passe l'organisme."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policies.can_administer(request.user):
            raise Http404("Introuvable.")
        return view(request, request.user.organisation, *args, **kwargs)

    return wrapper


def operator_view(view):
    """Connexion exigée, puis opérateur de la plateforme (superutilisateur) ou 404."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policies.can_operate_platform(request.user):
            raise Http404("Introuvable.")
        return view(request, *args, **kwargs)

    return wrapper


def render_page(request, template, **context):
    """Une page de l'administration (gabarit sous ``administration/``)."""
    return render(request, f"administration/{template}", {"nav": "administration", **context})


def crumbs(*names):
    """Le fil d'Ariane : « Administration » puis les listes nommées (libellé, nom d'URL)."""
    return [("Administration", reverse("administration"))] + [
        (label, reverse(name)) for label, name in names
    ]


def plural(count: int, singular: str, plural_form: str) -> str:
    """« 0 lieu », « 1 lieu », « 2 lieux »."""
    return f"{count} {singular if count in (0, 1) else plural_form}"


def form_page(request, *, form, title, back, crumbs, template="formulaire.html", **context):
    """Une page de formulaire : titre, lien de retour, fil d'Ariane."""
    return render_page(
        request, template, form=form, title=title, back=back, crumbs=crumbs, **context
    )
