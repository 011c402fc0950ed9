"""Les pages de l'observatoire : droits de chaque rôle, carte et liste, filtres, tri, période,
export relu, imports."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from parcours.core.models import AuditEntry, Commune
from parcours.observatory.models import ObservatoryImport
from parcours.observatory.queries import COMMUNE_COLUMNS
from parcours.observatory.services.aggregates import CommuneTotals, store_year
from tests.conftest import login_as
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _source(org, year=2025, **extra):
    return ObservatoryImport.objects.create(
        organisation=org,
        year=year,
        file_name="retraites.csv",
        file_sha256=f"{year}".ljust(64, "0"),
        **extra,
    )


def _ain(org, year=2025, shift=0):
    """Six communes de l'Ain (moyennes 2, 3, 4, 4, 7 ; une secrète) et une du Rhône."""
    ain = list(Commune.objects.filter(departement_id="01").order_by("code")[:6])
    rhone = Commune.objects.filter(departement_id="69").order_by("code").first()
    totals = [
        CommuneTotals(ain[0].code, 20, 20, 40 + shift),
        CommuneTotals(ain[1].code, 20, 15, 60),
        CommuneTotals(ain[2].code, 250, 240, 1000),
        CommuneTotals(ain[3].code, 20, 20, 80),
        CommuneTotals(ain[4].code, 20, 20, 140),
        CommuneTotals(ain[5].code, 10, 10, 110),
        CommuneTotals(rhone.code, 30, 30, 90),
    ]
    store_year(source=_source(org, year), totals=totals)
    return ain, rhone


def _url(name, *args, **query):
    from django.utils.http import urlencode

    return reverse(name, args=args) + (f"?{urlencode(query)}" if query else "")


def _svg(html: str) -> ET.Element:
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg"')
    depth, i = 0, start
    while True:
        o, c = html.find("<svg", i), html.find("</svg>", i)
        if o != -1 and o < c:
            depth, i = depth + 1, o + 4
        else:
            depth, i = depth - 1, c + 6
            if depth == 0:
                return ET.fromstring(html[start:i])


@pytest.mark.parametrize(
    "traits",
    [
        {"social_worker": True},
        {"front_line": True},
        {"secretary": True},
        {"admin": True},
        {"dpo": True},
    ],
)
def test_roles_without_the_observatory_get_404(client, org, traits):
    _ain(org)
    user = UserFactory(organisation=org, **traits)
    login_as(client, user)
    assert client.get(_url("observatoire")).status_code == 404
    assert client.get(_url("observatoire-departement", "01")).status_code == 404
    assert client.get(_url("observatoire-departement-export", "01", "csv")).status_code == 404


def test_manager_sees_his_departements_only(client, org):
    ain, rhone = _ain(org)
    login_as(client, UserFactory(organisation=org, manager=True, departements=["01"]))
    page = client.get(_url("observatoire"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "01 Ain" in html and "Rhône" not in html.split("<table")[1]
    root = _svg(html)
    assert root.get("role") == "img" and root.get("aria-labelledby")
    coloured = {p.get("data-departement") for p in root.iter("{http://www.w3.org/2000/svg}path")}
    assert "01" in coloured and "69" not in coloured
    assert client.get(_url("observatoire-departement", "69")).status_code == 404
    assert client.get(_url("observatoire-departement-export", "69", "csv")).status_code == 404
    assert client.get(_url("observatoire-departement", "01")).status_code == 200


def test_steering_sees_every_departement_of_the_organisation(client, org):
    _ain(org)
    login_as(client, UserFactory(organisation=org, steering=True, departements=[]))
    html = client.get(_url("observatoire")).content.decode()
    table = html.split("<table")[1]
    assert "01 Ain" in table and "69 Rhône" in table
    assert client.get(_url("observatoire-departement", "69")).status_code == 200
    assert 'href="/observatoire/"' in html  # l'entrée « Observatoire » du menu


def test_another_organisation_sees_nothing_of_ours(client, org):
    _ain(org)
    other = OrganisationFactory(code="carsat-ailleurs", departements=["75"])
    login_as(client, UserFactory(organisation=other, steering=True))
    assert client.get(_url("observatoire-departement", "01")).status_code == 404
    html = client.get(_url("observatoire")).content.decode()
    assert "Aucune année n'est encore importée" in html


def test_departement_page_map_list_reference_and_white_zones(client, org):
    ain, _ = _ain(org)
    user = UserFactory(organisation=org, manager=True, departements=["01"])
    login_as(client, user)
    html = client.get(_url("observatoire-departement", "01")).content.decode()
    # moyennes 2, 3, 4, 4, 7 : moyenne 4, écart type 1,6733, seuil 4,8367
    assert "4,0000" in html and "1,6733" in html and "4,8367" in html
    root = _svg(html)
    ns = "{http://www.w3.org/2000/svg}"
    shaded = {p.get("data-commune") for p in root.iter(f"{ns}path") if p.get("data-commune")}
    assert {c.code for c in ain} <= shaded
    outlined = {p.get("data-zone-blanche") for p in root.iter(f"{ns}path")} - {None}
    assert outlined == {ain[4].code}
    # « Programmer une action » : le formulaire de l'action, commune et programme remplis
    assert f"?commune={ain[4].code}&amp;programme=BIEN_VIEILLIR" in html
    assert "Secret statistique" in html


def test_filters_sort_and_search(client, org):
    ain, _ = _ain(org)
    login_as(client, UserFactory(organisation=org, manager=True, departements=["01"]))

    def codes(**query):
        html = client.get(_url("observatoire-departement", "01", **query)).content.decode()
        body = html.split("Liste des communes")[1].split("<tbody>")[1].split("</tbody>")[0]
        return [c.code for c in ain if f"<td>{c.code}</td>" in body], body

    assert codes(fragiles="1")[0] == [ain[4].code]
    assert codes(zones_blanches="1")[0] == [ain[4].code]
    assert codes(concentration="1")[0] == [ain[2].code]
    assert codes(q=ain[3].name.upper())[0] == [ain[3].code]
    _, body = codes(tri="-retraites")
    assert body.index(ain[2].code) < body.index(ain[0].code)
    _, body = codes(tri="score")
    assert body.index(ain[0].code) < body.index(ain[4].code)
    bad = client.get(_url("observatoire-departement", "01", tri="n'importe"))
    assert bad.status_code == 400


def test_period_changes_the_white_zones(client, org):
    ain, _ = _ain(org)
    login_as(client, UserFactory(organisation=org, manager=True, departements=["01"]))
    page = client.get(_url("observatoire-departement", "01", du="2025-03-01", au="2025-04-30"))
    assert page.status_code == 200
    assert "du 01/03/2025 au 30/04/2025" in page.content.decode()
    back = client.get(_url("observatoire-departement", "01", du="2025-05-01", au="2025-04-30"))
    assert back.status_code == 400


def test_export_csv_and_xlsx_read_back_and_audited(client, org):
    ain, _ = _ain(org)
    user = UserFactory(organisation=org, manager=True, departements=["01"])
    login_as(client, user)
    response = client.get(_url("observatoire-departement-export", "01", "csv", fragiles="1"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0] == list(COMMUNE_COLUMNS)
    assert len(rows) == 2 and rows[1][0] == ain[4].code
    assert rows[1][COMMUNE_COLUMNS.index("score_moyen")] == "7.0"
    assert rows[1][COMMUNE_COLUMNS.index("zone_blanche")] == "1"
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("at")
    assert entry.actor == user and entry.changes["criteres"]["lignes"] == 1
    assert entry.changes["criteres"]["fragiles"] is True
    all_rows = client.get(_url("observatoire-departement-export", "01", "xlsx"))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(all_rows.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(COMMUNE_COLUMNS)
    assert [v[0] for v in values[1:]] == [c.code for c in ain]
    secret = values[6]
    assert secret[COMMUNE_COLUMNS.index("secret")] == 1
    assert secret[COMMUNE_COLUMNS.index("score_moyen")] is None


def test_year_select_evolution_and_unknown_year(client, org):
    _ain(org, 2024, shift=20)
    _ain(org, 2025)
    login_as(client, UserFactory(organisation=org, manager=True, departements=["01"]))
    html = client.get(_url("observatoire-departement", "01", annee=2024)).content.decode()
    assert "Observatoire 2024" in html
    assert "Évolution du département" in html and "<polyline" in html
    assert client.get(_url("observatoire", annee=2019)).status_code == 404


def test_region_page(client, org):
    ain, rhone = _ain(org)
    login_as(client, UserFactory(organisation=org, steering=True))
    html = client.get(_url("observatoire-region", "84")).content.decode()
    root = _svg(html)
    shaded = {
        p.get("data-commune")
        for p in root.iter("{http://www.w3.org/2000/svg}path")
        if p.get("data-commune")
    }
    assert rhone.code in shaded and ain[0].code in shaded
    assert client.get(_url("observatoire-region", "11")).status_code == 404


def test_imports_page_for_those_who_import(client, org):
    _source(
        org,
        2025,
        lines=3,
        valid=2,
        rejected=1,
        errors=[{"ligne": 3, "colonne": "commune_insee", "motif": "commune inconnue"}],
        error_count=1,
        finished_at=datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC),
    )
    login_as(client, UserFactory(organisation=org, admin=True))
    html = client.get(_url("observatoire-imports")).content.decode()
    assert "retraites.csv" in html and "commune inconnue" in html
    assert 'href="/observatoire/imports/"' in html
    login_as(client, UserFactory(organisation=org, manager=True))
    assert client.get(_url("observatoire-imports")).status_code == 404


def test_departement_page_lists_its_epci_with_their_figures(client, org):
    from django.utils.html import escape

    from parcours.core.models import Epci
    from parcours.observatory.models import Aggregate

    ain, _ = _ain(org)
    login_as(client, UserFactory(organisation=org, manager=True, departements=["01"]))
    html = client.get(_url("observatoire-departement", "01")).content.decode()
    epcis = Aggregate.objects.filter(organisation=org, year=2025, level="EPCI", departement="01")
    assert epcis.exists()
    assert "Les EPCI" in html
    for e in epcis:
        assert escape(Epci.objects.get(code=e.code).name) in html and f"SIREN {e.code}" in html
    fragile_epci = Commune.objects.get(code=ain[4].code).epci_id
    row = next(r for r in epcis if r.code == fragile_epci)
    assert row.fragile_communes >= 1
