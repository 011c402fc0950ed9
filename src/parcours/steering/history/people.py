"""beneficiaires.csv -> fiches de personnes (``people.bulk.create_people``)."""

from __future__ import annotations

from parcours.people import bulk as people_bulk
from parcours.people.bulk import NewPerson
from parcours.steering.history.context import BATCH, Writer, chunks
from parcours.steering.history.validation import Valid


def _person(p: Valid) -> NewPerson:
    return NewPerson(
        last_name=p["nom"] or "(inconnu)",
        first_names=p["prenom"],
        sex=p["sexe"],
        birth_date=p["date_naissance"],
        departement_id=p["departement"],
        commune_id=p["commune"],
        nir=p["nir"] or None,
    )


def write_people(w: Writer, people: dict[str, Valid]) -> None:
    w.progress(f"Bénéficiaires : {len(people)} à créer…")
    items = list(people.items())
    for start, chunk in chunks(items):
        ids = people_bulk.create_people(
            actor=w.actor,
            organisation=w.organisation,
            people=[_person(p) for _, p in chunk],
            audit=w.audit,
        )
        w.refs("beneficiaire", [(source, pk) for (source, _), pk in zip(chunk, ids, strict=True)])
        w.progress(f"  bénéficiaires : {min(start + BATCH, len(items))}/{len(items)}")
