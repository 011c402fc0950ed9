"""Demandes de rendez-vous et rendez-vous : mêmes périmètres que les personnes."""

from parcours.core.roles import Role, agent_context
from parcours.outreach.models import Appointment, AppointmentRequest


def visible_requests(user):
    ctx = agent_context(user)
    if not ctx.sees_people:
        return AppointmentRequest.objects.none()
    return AppointmentRequest.objects.filter(
        organisation_id=ctx.organisation_id, departement_id__in=ctx.departements
    )


def visible_appointments(user):
    ctx = agent_context(user)
    if not ctx.sees_people:
        return Appointment.objects.none()
    return Appointment.objects.filter(
        organisation_id=ctx.organisation_id, person__departement_id__in=ctx.departements
    )


def can_book(user) -> bool:
    """Fixer un rendez-vous : accueil, AS, responsables."""
    return agent_context(user).role in {Role.AS, Role.FRONT_LINE, Role.MANAGER}


def get_appointment_or_404(user, pk) -> Appointment:
    from parcours.core.policies import _get_or_404

    return _get_or_404(visible_appointments(user).select_related("person"), pk)


def can_update_appointment(user, appointment: Appointment) -> bool:
    """Marquer honoré, manqué ou annulé : l'agent du rendez-vous, l'accueil, un responsable."""
    ctx = agent_context(user)
    return ctx.role in {Role.FRONT_LINE, Role.MANAGER} or appointment.staff_id == ctx.user_id
