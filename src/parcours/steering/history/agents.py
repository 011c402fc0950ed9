"""agents.csv -> comptes d'agents inactifs de l'organisme (sans mot de passe utilisable)."""

from __future__ import annotations

from parcours.core.models import User
from parcours.steering.history.context import BATCH, Writer
from parcours.steering.history.validation import Valid


def write_agents(w: Writer, agents: dict[str, Valid]) -> None:
    w.progress(f"Agents : {len(agents)} à créer…")
    code = w.organisation.code
    users = [
        User(
            organisation=w.organisation,
            username=f"{code}.historique.{source}"[:150],
            first_name=a["prenom"][:150],
            last_name=a["nom"][:150],
            function=a["fonction"],
            fte=a["etp"],
            is_active=False,
            password=w.unusable_password,
        )
        for source, a in agents.items()
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    through = User.departements.through
    through.objects.bulk_create(
        [
            through(user_id=u.pk, departement_id=a["departement"])
            for u, a in zip(users, agents.values(), strict=True)
        ],
        batch_size=BATCH,
    )
    w.audit.add("user", len(users))
    w.refs("agent", list(zip(agents, [u.pk for u in users], strict=True)))
