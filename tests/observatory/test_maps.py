"""observatory.maps : le SVG se lit comme du XML, une surface par commune qui a un contour, les
couleurs des classes de ``map_class``, les zones blanches cerclées, le secret hachuré, titre et
description reliés ; les fonds de carte de ``observatory/data``."""

import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest

from parcours.core.models import Commune
from parcours.observatory import geometry, maps, queries
from parcours.observatory.models import ObservatoryImport
from parcours.observatory.services.aggregates import CommuneTotals, store_year
from parcours.rules import fragility

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def _check_labels(root: ET.Element) -> None:
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{NS}title").get("id") == title_id
    assert root.find(f"{NS}desc").get("id") == desc_id
    assert root.find(f"{NS}title").text and root.find(f"{NS}desc").text


def test_every_departement_file_loads_with_its_communes():
    ain = geometry.communes(["01"])
    assert ain is not None and len(ain.paths) > 380
    assert all(d.startswith("M") and d.endswith("z") for d in ain.paths.values())
    x0, y0, x1, y1 = ain.bbox
    # l'Ain fait environ 110 km sur 100 : à 100 m l'unité, ~1 100 × 1 000
    assert 900 < x1 - x0 < 1300 and 800 < y1 - y0 < 1200
    assert geometry.communes(["974"]) is not None  # La Réunion, en équirectangulaire
    assert geometry.communes(["../etc"]) is None and geometry.communes(["00"]) is None
    metro = geometry.departements()
    assert len(metro.paths) == 96 and geometry.has_outline("2A")
    assert not geometry.has_outline("971")


def test_the_data_files_stay_small():
    total = sum(f.stat().st_size for f in geometry.DATA.rglob("*") if f.is_file())
    assert total < 6_000_000


def test_class_bounds_follow_map_class():
    ref = fragility.reference([Fraction(2), Fraction(3), Fraction(4), Fraction(4), Fraction(7)])
    bounds = maps.class_bounds(ref)  # moyenne 4, écart type 1,6733
    assert bounds == ["≤ 3,16", "> 3,16 et < 4,00", "≥ 4,00 et < 4,84", "≥ 4,84 et < 5,67",
                      "≥ 5,67"]  # fmt: skip
    values = (Fraction(2), Fraction(7, 2), Fraction(4), Fraction(5), Fraction(7))
    assert [fragility.map_class(v, ref) for v in values] == [0, 1, 2, 3, 4]
    assert maps.class_bounds(None) == [""] * 5


@pytest.mark.django_db
def test_commune_map_colours_outlines_and_hatching(org):
    communes = list(Commune.objects.filter(departement_id="01").order_by("code")[:6])
    sums = [40, 60, 80, 80, 140]
    totals = [CommuneTotals(c.code, 20, 20, s) for c, s in zip(communes, sums, strict=False)]
    totals.append(CommuneTotals(communes[5].code, 10, 10, 110))
    source = ObservatoryImport.objects.create(
        organisation=org, year=2025, file_name="r.csv", file_sha256="0" * 64
    )
    store_year(source=source, totals=totals)
    rows = queries.commune_rows(organisation_id=org.pk, year=2025, departements=["01"])
    ref = queries.references(org.pk, 2025, ["01"])["01"]
    svg = maps.commune_map(
        title="Carte de l'Ain", description="Les communes.", rows=rows, departements=["01"], ref=ref
    )
    root = _parse(svg)
    _check_labels(root)
    paths = list(root.iter(f"{NS}path"))
    drawn = geometry.communes(["01"]).paths
    # une surface par commune du fond (avec ou sans retraités), plus les contours épais
    surfaces = [p for p in paths if p.get("fill") not in (None, "none")]
    assert len(surfaces) == len(drawn)
    assert all(p.find(f"{NS}title") is not None for p in surfaces)
    by_code = {p.get("data-commune"): p for p in surfaces if p.get("data-commune")}
    assert set(by_code) == {c.code for c in communes}
    for row in rows:
        path = by_code[row.commune_insee]
        if row.secret:
            assert path.get("fill").startswith("url(#") and path.get("fill").endswith("-secret)")
            assert "secret statistique" in path.find(f"{NS}title").text
        else:
            assert path.get("fill") == maps.CLASS_COLOURS[row.map_class]
    assert [r.map_class for r in rows] == [0, 0, 2, 2, 4, None]  # 3 ≤ 3,16 : classe 0
    outlined = [p for p in paths if p.get("data-zone-blanche")]
    assert [p.get("data-zone-blanche") for p in outlined] == [communes[4].code]
    assert outlined[0].get("stroke") == maps.WHITE_ZONE_STROKE
    assert outlined[0].get("fill") == "none"
    assert "zone blanche" in by_code[communes[4].code].find(f"{NS}title").text
    patterns = [p.get("id") for p in root.iter(f"{NS}pattern")]
    assert any(p.endswith("-secret") for p in patterns)
    legend = [t.text for t in root.iter(f"{NS}text")]
    assert any(t and t.startswith("très fragile") and "≥ 5,67" in t for t in legend)
    assert any(t and t.startswith("Zone blanche") for t in legend)


@pytest.mark.django_db
def test_departement_map_classes_against_the_departements_shown(org):
    from parcours.observatory.queries import DepartementRow

    def row(code, mean):
        return DepartementRow(code, 100, 90, float(mean), None, None, 3, 1, 0,
                              exact_mean=Fraction(mean))  # fmt: skip

    rows = [row("01", 3), row("69", 5), row("974", 4)]
    svg = maps.departement_map(
        title="Départements", description="Trois départements.", rows=rows,
        scope=["01", "69", "974"], names={"01": "Ain", "69": "Rhône", "974": "La Réunion"},
    )  # fmt: skip
    root = _parse(svg)
    _check_labels(root)
    ref = maps.departement_reference(rows)
    coloured = {
        p.get("data-departement"): p.get("fill")
        for p in root.iter(f"{NS}path")
        if p.get("data-departement")
    }
    assert coloured["01"] == maps.CLASS_COLOURS[fragility.map_class(Fraction(3), ref)]
    assert coloured["69"] == maps.CLASS_COLOURS[fragility.map_class(Fraction(5), ref)]
    inset = [g for g in root.iter(f"{NS}g") if g.get("data-departement") == "974"]
    assert inset and inset[0].get("fill") == maps.CLASS_COLOURS[fragility.map_class(4, ref)]
    outside = [p for p in root.iter(f"{NS}path") if p.get("fill") == maps.OUTSIDE_FILL]
    assert len(outside) == 94


def test_evolution_chart_needs_two_years():
    assert maps.evolution_chart("Évolution", [(2025, 3.4)]) is None
    root = _parse(maps.evolution_chart("Évolution", [(2024, 3.1), (2025, 3.4)]))
    _check_labels(root)
    assert [t.text for t in root.iter(f"{NS}text")] == ["3,10", "2024", "3,40", "2025"]
