"""Convertit le paquet npm ``@etalab/decoupage-administratif`` en référentiel compact de Parcours.

Usage (une fois, à chaque nouvelle version du paquet) ::

    cd /tmp && npm pack @etalab/decoupage-administratif && tar xzf etalab-*.tgz && cd -
    python3 tools/convert_decoupage.py /tmp/package \
        src/parcours/core/data/decoupage-administratif.json.gz

Ne garde que les communes actuelles (ni déléguées, ni associées, ni arrondissements municipaux),
leur département, région, EPCI, population et codes postaux ; la sortie est déterministe.
"""

import gzip
import io
import json
import sys
from collections import Counter
from pathlib import Path


def convert(package_dir: Path) -> dict:
    data = package_dir / "data"
    meta = json.loads((package_dir / "package.json").read_text())
    regions = json.loads((data / "regions.json").read_text())
    departements = json.loads((data / "departements.json").read_text())
    communes = json.loads((data / "communes.json").read_text())
    epcis = json.loads((data / "epci.json").read_text())

    epci_of = {m["code"]: e["code"] for e in epcis for m in e.get("membres", [])}
    current = [c for c in communes if c.get("type") == "commune-actuelle"]
    dept_of = {c["code"]: c["departement"] for c in current}

    def main_departement(epci):
        counts = Counter(
            dept_of[m["code"]] for m in epci.get("membres", []) if m["code"] in dept_of
        )
        return counts.most_common(1)[0][0] if counts else None

    return {
        "source": meta["name"],
        "version": meta["version"],
        "licence": meta.get("license", "MIT"),
        "regions": sorted(
            ({"code": r["code"], "nom": r["nom"]} for r in regions), key=lambda r: r["code"]
        ),
        "departements": sorted(
            ({"code": d["code"], "nom": d["nom"], "region": d["region"]} for d in departements),
            key=lambda d: d["code"],
        ),
        "epci": sorted(
            (
                {
                    "code": e["code"],
                    "nom": e["nom"],
                    "type": e.get("type"),
                    "departement": main_departement(e),
                }
                for e in epcis
            ),
            key=lambda e: e["code"],
        ),
        "communes": sorted(
            (
                {
                    "code": c["code"],
                    "nom": c["nom"],
                    "departement": c["departement"],
                    "region": c["region"],
                    "epci": epci_of.get(c["code"]),
                    "population": c.get("population"),
                    "codes_postaux": sorted(c.get("codesPostaux") or []),
                }
                for c in current
            ),
            key=lambda c: c["code"],
        ),
    }


def write(result: dict, target: Path) -> None:
    payload = json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(payload.encode("utf-8"))
    target.write_bytes(buffer.getvalue())


if __name__ == "__main__":
    package, output = Path(sys.argv[1]), Path(sys.argv[2])
    result = convert(package)
    write(result, output)
    print(
        {k: len(v) for k, v in result.items() if isinstance(v, list)},
        f"{output.stat().st_size} octets",
    )
