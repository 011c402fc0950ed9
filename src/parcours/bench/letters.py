"""``python -m parcours.bench courriers`` : le temps de rendu des courriers d'une campagne
(2, 100, 1 000 courriers), chaque taille dans un processus neuf (à froid : polices, feuille de
style), écrit dans docs/benchmarks.md. Objets en mémoire : seul le rendu PDF est mesuré."""

import datetime
import io
import os
import platform
import subprocess
import sys
import time

from parcours.bench.pages import ROOT, _today, setup_django

SIZES = [2, 100, 1000]


def _letters(n: int) -> tuple[float, int, int]:
    """(secondes, pages, octets) du PDF de ``n`` courriers (réunion, trois dates)."""
    setup_django()
    from pypdf import PdfReader

    from parcours.core.models import Commune, Organisation, User
    from parcours.groups.models import GroupAction, Session
    from parcours.outreach import letters
    from parcours.outreach.models import Campaign, ServiceOffer
    from parcours.people.models import Person

    organisation = Organisation(name="Carsat Rhône-Alpes")
    user = User(username="banc", organisation=organisation)
    commune = Commune(code="01053", name="Bourg-en-Bresse")
    action = GroupAction(title="Réunion arrêt long")
    campaign = Campaign(
        pk=1,
        name="Arrêts longs",
        channel="COURRIER",
        proposal=Campaign.Proposal.REUNION,
        programme="PDP",
        phone="36 46",
        sent_on=datetime.date(2026, 12, 1),
        group_action=action,
    )
    sessions = [
        Session(
            date=datetime.date(2026, 12, 10 + i),
            start_time=datetime.time(14),
            partner_place="Salle",
        )
        for i in range(3)
    ]
    offers = []
    for i in range(1, n + 1):
        person = Person(
            pk=i,
            last_name=f"Nom{i}",
            first_names="Claire",
            sex="F",
            address=f"{i} rue des Lilas",
            postal_code="01000",
        )
        person.commune = commune
        offers.append(ServiceOffer(person=person, reference=f"OS0001-{i:05d}"))
    links = {o.person.pk: f"https://parcours.example/collectif/lien/{o.pk}-x/" for o in offers}
    started = time.perf_counter()
    pdf = letters.campaign_letters_pdf(
        campaign, offers, user=user, reminder=False, sessions=sessions, links=links
    )
    seconds = time.perf_counter() - started
    return seconds, len(PdfReader(io.BytesIO(pdf)).pages), len(pdf)


def _child(n: str) -> int:
    seconds, pages, size = _letters(int(n))
    print(f"{seconds:.2f} {pages} {size}")
    return 0


def run() -> int:
    rows = []
    for n in SIZES:
        out = subprocess.run(  # noqa: S603 (ce même module, une taille)
            [sys.executable, "-m", "parcours.bench", "_courriers", str(n)],
            check=True,
            capture_output=True,
            text=True,
            env=os.environ,
        ).stdout.split()
        seconds, pages, size = float(out[0]), int(out[1]), int(out[2])
        rows.append((n, seconds, pages, size))
        print(f"{n} courriers : {seconds:.1f} s, {pages} pages, {size / 1e6:.1f} Mo", flush=True)
    lines = [
        "",
        f"### Courriers de campagne (PDF/UA, un document par courrier) — {_today():%Y-%m-%d}",
        "",
        f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python "
        f"{platform.python_version()} ; chaque taille dans un processus neuf (à froid).",
        "",
        "| Courriers | Temps | Par courrier | Pages | Taille |",
        "|---:|---:|---:|---:|---:|",
        *(
            f"| {n} | {s:.1f} s | {s / n * 1000:.0f} ms | {p} | {b / 1e6:.1f} Mo |"
            for n, s, p, b in rows
        ),
        "",
    ]
    with (ROOT / "docs" / "benchmarks.md").open("a") as doc:
        doc.write("\n".join(lines))
    return 0
