"""accompagnements.csv et entretiens.csv -> ``cases.bulk`` (accompagnements, entretiens, leurs
actions et problématiques)."""

from __future__ import annotations

from parcours.cases import bulk as cases_bulk
from parcours.cases.bulk import NewCase, NewContact
from parcours.steering.history.context import BATCH, Writer, chunks
from parcours.steering.history.validation import Valid


def write_cases(w: Writer, cases: dict[str, Valid]) -> None:
    w.progress(f"Accompagnements : {len(cases)} à créer…")
    people, agents = w.ids["beneficiaire"], w.ids["agent"]
    items = list(cases.items())
    for start, chunk in chunks(items):
        new = [
            NewCase(
                person_id=people[c["beneficiaire"]],
                programme=c["programme"],
                origin=c["origine"],
                departement_id=c["departement"],
                referent_id=agents.get(c["referent"]) if c["referent"] else None,
                opened_on=c["debut"],
                closed_on=c["fin"],
                outcome=c["issue"],
                risk=c["risque"],
                sector=c["secteur"],
            )
            for _, c in chunk
        ]
        ids = cases_bulk.create_cases(
            actor=w.actor, organisation=w.organisation, cases=new, audit=w.audit
        )
        w.refs("accompagnement", [(s, pk) for (s, _), pk in zip(chunk, ids, strict=True)])
        w.referents.update((pk, c.referent_id) for pk, c in zip(ids, new, strict=True))
        w.progress(f"  accompagnements : {min(start + BATCH, len(items))}/{len(items)}")


def write_contacts(w: Writer, contacts: dict[str, Valid]) -> None:
    w.progress(f"Entretiens : {len(contacts)} à créer…")
    cases, agents = w.ids["accompagnement"], w.ids["agent"]
    items = list(contacts.items())
    for start, chunk in chunks(items):
        ids = cases_bulk.create_contacts(
            actor=w.actor,
            organisation=w.organisation,
            contacts=[
                NewContact(
                    case_id=cases[c["accompagnement"]],
                    on=c["date"],
                    mode=c["mode"],
                    staff_id=agents.get(c["agent"]) if c["agent"] else None,
                    duration_minutes=c["duree"],
                    actions=c["actions"],
                    problems=c["problematiques"],
                )
                for _, c in chunk
            ],
            audit=w.audit,
            referents=w.referents,
            fallback_staff=w.history_agent,
        )
        w.refs("entretien", [(s, pk) for (s, _), pk in zip(chunk, ids, strict=True)])
        w.progress(f"  entretiens : {min(start + BATCH, len(items))}/{len(items)}")
