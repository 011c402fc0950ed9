"""Le menu principal : une entrée par domaine, chacune montrée selon la politique du domaine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.aid import policies as aid_policies
from parcours.cases import policies as case_policies
from parcours.core import policies as core_policies
from parcours.groups import policies as group_policies
from parcours.observatory import policies as observatory_policies
from parcours.outreach import policies as outreach_policies
from parcours.partners import policies as partner_policies
from parcours.people import policies as people_policies
from parcours.privacy import policies as privacy_policies
from parcours.sharing import policies as sharing_policies
from parcours.steering import policies as steering_policies

if TYPE_CHECKING:
    from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, dict[str, bool] | None]:
    """Les entrées du menu auxquelles l'agent a droit (aucune hors connexion)."""
    user = request.user
    if not user.is_authenticated:
        return {"menu": None}
    return {
        "menu": {
            "my_activity": case_policies.can_view_my_activity(user),
            "people": people_policies.can_search_people(user),
            "detection": outreach_policies.sees_detection(user),
            "collective": group_policies.can_list_actions(user),
            "aid": aid_policies.can_use_simulator(user),
            "team": case_policies.can_view_team(user),
            "cases": case_policies.can_list_cases(user),
            "partners": partner_policies.can_read_directory(user),
            "pathways": sharing_policies.can_list_pathways(user),
            "steering": steering_policies.can_see_steering(user),
            "history": steering_policies.can_import_history(user),
            "observatory": observatory_policies.can_see_observatory(user),
            # une seule entrée « Observatoire » : les cartes, ou les imports pour qui ne voit
            # que ceux-ci (administrateur)
            "observatory_imports": observatory_policies.can_import_observatory(user)
            and not observatory_policies.can_see_observatory(user),
            "privacy": privacy_policies.can_see_privacy(user),
            "administration": core_policies.can_administer(user),
        }
    }
