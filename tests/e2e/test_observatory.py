"""Observatoire dans Chromium : le pilotage ouvre la carte des départements, descend à l'Ain,
filtre les zones blanches et exporte la liste ; le responsable de l'Ain ne voit que l'Ain et
programme une action depuis une zone blanche.

Si la démonstration n'a pas encore d'année d'observatoire, le test en écrit une (totaux
plausibles pour chaque commune de l'Ain et du Rhône, par ``store_year``)."""

import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import SERVER_ENV, check_page, login

YEAR_DATA = """
import random
from parcours.core.models import Commune, Organisation
from parcours.observatory.models import Aggregate, ObservatoryImport
from parcours.observatory.services.aggregates import CommuneTotals, store_year
org = Organisation.objects.get(code="carsat-demo")
if not Aggregate.objects.filter(organisation=org).exists():
    rng = random.Random(13)
    totals = []
    for c in Commune.objects.filter(departement_id__in=["01", "69"]).order_by("code"):
        retirees = max(3, round((c.population or 300) * rng.uniform(0.22, 0.32)))
        rural = 0.5 if (c.population or 0) < 800 else 0.0
        mean = min(10.5, max(1.2, rng.gauss(3.2 + rural, 0.45)))
        totals.append(CommuneTotals(c.code, retirees, round(retirees * 0.96),
                                    round(retirees * mean)))
    source = ObservatoryImport.objects.create(
        organisation=org, year=2025, file_name="retraites-2025-demo.csv",
        file_sha256="e2e".ljust(64, "0"), status="termine", lines=sum(t.retirees for t in totals),
        valid=sum(t.retirees for t in totals), communes=len(totals))
    store_year(source=source, totals=totals)
print(sorted(set(Aggregate.objects.filter(organisation=org).values_list("year", flat=True))))
"""


def _ensure_year() -> None:
    subprocess.run(
        [sys.executable, "-m", "parcours.cli", "shell", "-c", YEAR_DATA],
        env=SERVER_ENV,
        check=True,
        capture_output=True,
        text=True,
    )


def nav(page, name):
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()


def test_steering_map_to_white_zones_and_export(page):
    _ensure_year()
    login(page, "pilotage")
    nav(page, "Observatoire")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observatoire des fragilités")
    expect(page.get_by_role("img", name=re.compile("Score moyen des départements"))).to_be_visible()
    check_page(page, "observatoire-01-departements")

    page.get_by_role("link", name="01 Ain").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("01 Ain")
    expect(page.get_by_role("img", name=re.compile("Score moyen des communes"))).to_be_visible()
    expect(page.get_by_text("Seuil de fragilité")).to_be_visible()
    check_page(page, "observatoire-02-ain")

    page.get_by_text("les zones blanches", exact=True).click()
    page.get_by_role("button", name="Afficher").click()
    rows = page.get_by_role("table").filter(has_text="Zone blanche").get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Zone blanche")
    check_page(page, "observatoire-03-zones-blanches")

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter la liste (CSV)").click()
    content = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert content[0].startswith("commune_insee;commune;epci;departement;retraites")
    assert len(content) > 1 and all(line.endswith(";1") for line in content[1:])

    page.get_by_role("link", name="Retraités (trier)", exact=True).click()
    expect(
        page.get_by_role("columnheader", name="Retraités (trier)", exact=True)
    ).to_have_attribute("aria-sort", "ascending")


def test_manager_programs_an_action_in_a_white_zone(page):
    _ensure_year()
    login(page, "manager.ain")
    nav(page, "Observatoire")
    table = page.get_by_role("table")
    expect(table).to_contain_text("01 Ain")
    expect(table).not_to_contain_text("69 Rhône")
    response = page.goto("/observatoire/departements/69/")
    assert response is not None and response.status == 404

    page.goto("/observatoire/departements/01/?zones_blanches=1")
    link = page.get_by_role("link", name=re.compile("Programmer une action")).first
    expect(link).to_have_attribute("href", re.compile(r"commune=01\d{3}&programme=BIEN_VIEILLIR"))
    link.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/collectif/actions/nouvelle/" in page.url
