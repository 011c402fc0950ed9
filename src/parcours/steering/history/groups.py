"""actions_collectives.csv, seances.csv, participations.csv -> ``groups.bulk``.

Une séance historique n'a ni heure ni jauge : 9 h, et autant de places que de participants ;
une participation est une inscription « personne » faite par un agent, datée du jour de la
séance à 9 h, présence comme dans le fichier.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from parcours.groups import bulk as groups_bulk
from parcours.groups.bulk import NewGroupAction, NewRegistration, NewSession
from parcours.groups.models import Session
from parcours.steering.history.context import Writer, chunks
from parcours.steering.history.validation import Valid

SESSION_START = datetime.time(9)


def aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """``day`` à ``hour`` heures, heure locale (conscient du fuseau)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def write_group_actions(w: Writer, actions: dict[str, Valid]) -> None:
    w.progress(f"Actions collectives : {len(actions)} à créer…")
    for _, chunk in chunks(list(actions.items())):
        ids = groups_bulk.create_group_actions(
            actor=w.actor,
            organisation=w.organisation,
            actions=[
                NewGroupAction(
                    type=a["type"],
                    programme=a["programme"],
                    title=a["intitule"] or "Action collective (historique)",
                    departement_id=a["departement"],
                )
                for _, a in chunk
            ],
            audit=w.audit,
        )
        w.refs("action_collective", [(s, pk) for (s, _), pk in zip(chunk, ids, strict=True)])


def write_sessions(w: Writer, sessions: dict[str, Valid], attendances: dict[str, Valid]) -> None:
    w.progress(f"Séances : {len(sessions)} à créer…")
    seats: dict[str, int] = {}
    for p in attendances.values():
        seats[p["seance"]] = seats.get(p["seance"], 0) + 1
    actions = w.ids["action_collective"]
    for _, chunk in chunks(list(sessions.items())):
        ids = groups_bulk.create_sessions(
            actor=w.actor,
            organisation=w.organisation,
            sessions=[
                NewSession(
                    action_id=actions[s["action"]],
                    date=s["date"],
                    start_time=SESSION_START,
                    partner_place=s["lieu"],
                    capacity=min(max(seats.get(source, 0), 1), 32767),
                )
                for source, s in chunk
            ],
            audit=w.audit,
        )
        w.refs("seance", [(s, pk) for (s, _), pk in zip(chunk, ids, strict=True)])


def write_attendances(w: Writer, attendances: dict[str, Valid]) -> None:
    w.progress(f"Participations : {len(attendances)} à créer…")
    sessions, people = w.ids["seance"], w.ids["beneficiaire"]
    wanted = {sessions[p["seance"]] for p in attendances.values()}
    dates = dict(Session.objects.filter(pk__in=wanted).values_list("pk", "date")) if wanted else {}
    for _, chunk in chunks(list(attendances.items())):
        ids = groups_bulk.create_registrations(
            actor=w.actor,
            organisation=w.organisation,
            registrations=[
                NewRegistration(
                    session_id=sessions[p["seance"]],
                    person_id=people[p["beneficiaire"]],
                    present=p["present"],
                    registered_at=aware(dates[sessions[p["seance"]]]),
                )
                for _, p in chunk
            ],
            audit=w.audit,
        )
        w.refs("participation", [(s, pk) for (s, _), pk in zip(chunk, ids, strict=True)])
