"""Le contexte commun des gabarits : l'agent (organisme, territoire) et le titre du site.

Les droits n'y sont pas : chaque page reçoit ses ``can_*`` de sa vue, le menu les siens de
``parcours.www.context_processors.navigation``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest


def parcours(request: HttpRequest) -> dict[str, object]:
    return {"agent": getattr(request, "agent", None), "SITE_TITLE": "Parcours"}
