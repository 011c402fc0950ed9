"""Les cartes de l'observatoire en SVG fait côté serveur, sans JavaScript (comme les graphiques
du pilotage : attributs seulement, aucun ``style``, titre et description reliés par
``aria-labelledby``).

- **carte des communes** d'un département (ou d'une région : les communes de ses
  départements) : chaque commune colorée par sa classe (``rules.fragility.map_class``, cinq
  classes autour de la moyenne de son département), les communes au secret statistique
  hachurées en gris, celles sans retraité en blanc, les zones blanches cerclées d'un trait
  épais noir ; chaque commune porte un ``<title>`` (nom, score moyen, drapeaux) ;
- **carte des départements** (métropole, chemins ``svg-maps``) : chaque département du
  périmètre coloré par la classe de son score moyen, calculée contre la moyenne et l'écart type
  des départements montrés ; les autres en gris clair pour situer ; l'outre-mer en médaillons.

Une carte ne se lit pas au lecteur d'écran ni au clavier : la page montre toujours le tableau
équivalent à côté (la liste), la carte n'en est qu'une vue.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from html import escape

from django.utils.safestring import SafeString, mark_safe

from parcours.observatory import geometry
from parcours.rules import fragility

#: cinq classes, du bleu (sous la moyenne) au rouge (très fragile), teintes du DSFR
#: (bleu France 625 et 850, rouge Marianne 850, 625 et 425)
CLASS_COLOURS = ("#6A6AF4", "#CACAFB", "#FCBFB7", "#F95C5E", "#C9191E")
SECRET_FILL, SECRET_HATCH = "#E5E5E5", "#666666"
NO_DATA_FILL = "#FFFFFF"
OUTSIDE_FILL, OUTSIDE_STROKE = "#F6F6F6", "#CECECE"
BORDER = "#FFFFFF"
WHITE_ZONE_STROKE = "#161616"
TEXT = "#161616"
FONT = 'font-family="Marianne, Arial, sans-serif"'
_ids = itertools.count(1)


def _number(value: float | Fraction | None, places: int = 2) -> str:
    if value is None:
        return "—"
    return f"{float(value):.{places}f}".replace(".", ",")


def class_bounds(ref: fragility.Reference | None) -> list[str]:
    """Les bornes en chiffres de chaque classe (``map_class``), vides sans référence."""
    if ref is None or ref.mean is None or ref.sd is None:
        return ["" for _ in fragility.MAP_CLASSES]
    m, sd = float(ref.mean), ref.sd
    a, b, c, d = (_number(v) for v in (m - sd / 2, m, m + sd / 2, m + sd))
    return [f"≤ {a}", f"> {a} et < {b}", f"≥ {b} et < {c}", f"≥ {c} et < {d}", f"≥ {d}"]


def legend_items(ref: fragility.Reference | None) -> list[tuple[str, str]]:
    """(couleur, libellé) des cinq classes, bornes comprises quand la référence est unique."""
    return [
        (colour, f"{label} : {bound}" if bound else label)
        for colour, label, bound in zip(
            CLASS_COLOURS, fragility.MAP_CLASSES, class_bounds(ref), strict=True
        )
    ]


def colour(cls: int | None) -> str:
    return SECRET_FILL if cls is None else CLASS_COLOURS[cls]


@dataclass(frozen=True)
class Shape:
    """Une surface de la carte : son code (celui des chemins), sa couleur, son infobulle."""

    code: str
    label: str
    cls: int | None = None
    secret: bool = False
    has_data: bool = True
    white_zone: bool = False


def commune_label(row) -> str:
    """L'infobulle d'une commune : nom, code, score moyen et drapeaux."""
    name = f"{row.commune or 'Commune'} ({row.commune_insee})"
    if row.secret:
        return f"{name} : secret statistique (moins de {fragility.SECRECY_THRESHOLD} retraités)"
    flags = [
        text
        for on, text in (
            (row.fragile, "fragile"),
            (row.zone_blanche, "zone blanche"),
            (row.concentration, "concentration"),
        )
        if on
    ]
    more = f" ; {', '.join(flags)}" if flags else ""
    return f"{name} : score moyen {_number(row.score_moyen)}, {row.retraites} retraités{more}"


def _open(title: str, description: str, width: int, height: int) -> tuple[list[str], str]:
    uid = f"obs{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT} font-size="12" '
        f'aria-labelledby="{uid}-t {uid}-d">'
        f'<title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(description)}</desc>'
    ]
    return parts, uid


def _frame(bbox, width: int, max_height: int) -> tuple[float, int, int, str]:
    """Échelle, largeur et hauteur en pixels, ``viewBox`` de la carte (proportions gardées)."""
    x0, y0, x1, y1 = bbox
    w, h = max(x1 - x0, 1), max(y1 - y0, 1)
    scale = min(width / w, max_height / h)
    return scale, round(w * scale), round(h * scale), f"{x0} {y0} {w} {h}"


def _hatch(uid: str, scale: float) -> str:
    size = 6 / scale
    return (
        f'<defs><pattern id="{uid}-secret" patternUnits="userSpaceOnUse" width="{size:.3g}" '
        f'height="{size:.3g}" patternTransform="rotate(45)">'
        f'<rect width="{size:.3g}" height="{size:.3g}" fill="{SECRET_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="{size:.3g}" stroke="{SECRET_HATCH}" '
        f'stroke-width="{2 / scale:.3g}"/></pattern></defs>'
    )


def _legend(
    parts: list[str], uid: str, top: int, items: Sequence[tuple[str, str, str]], width: int
) -> int:
    """Écrit la légende (une ligne par entrée : remplissage, contour, libellé) ; rend sa hauteur."""
    row = 20
    for i, (fill, stroke, label) in enumerate(items):
        y = top + i * row
        fill_attr = f"url(#{uid}-secret)" if fill == "hatch" else fill
        stroke_w = 2.5 if stroke == WHITE_ZONE_STROKE else 1
        parts.append(
            f'<rect x="1.5" y="{y + 1.5}" width="22" height="13" fill="{fill_attr}" '
            f'stroke="{stroke}" stroke-width="{stroke_w}"/>'
            f'<text x="32" y="{y + 12}" fill="{TEXT}">{escape(label)}</text>'
        )
    return len(items) * row


def _legend_hatch(uid: str) -> str:
    return (
        f'<defs><pattern id="{uid}-secret" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{SECRET_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{SECRET_HATCH}" stroke-width="2"/>'
        f"</pattern></defs>"
    )


def commune_map(
    *,
    title: str,
    description: str,
    rows: Sequence,
    departements: list[str],
    ref: fragility.Reference | None,
    width: int = 640,
    max_height: int = 640,
) -> SafeString | None:
    """La carte des communes de ``departements`` colorées d'après ``rows`` (``CommuneRow``) ;
    ``None`` si aucun de ces départements n'a de contours. ``ref`` : la référence unique dont la
    légende donne les bornes (``None`` pour une région : chaque commune est classée contre son
    département)."""
    layer = geometry.communes(departements)
    if layer is None:
        return None
    by_code = {r.commune_insee: r for r in rows}
    scale, w, h, viewbox = _frame(layer.bbox, width, max_height)
    items = [(c, BORDER, label) for c, label in legend_items(ref)]
    items += [
        ("hatch", SECRET_HATCH, f"Secret statistique (moins de {fragility.SECRECY_THRESHOLD} "
         "retraités)"),
        (NO_DATA_FILL, OUTSIDE_STROKE, "Aucun retraité dans le fichier"),
        ("none", WHITE_ZONE_STROKE, "Zone blanche : fragile, moins de 2 actions collectives"),
    ]  # fmt: skip
    legend_top = h + 16
    parts, uid = _open(title, description, max(w, width), legend_top + 20 * len(items) + 4)
    parts.append(_legend_hatch(uid))
    parts.append(
        f'<svg x="0" y="0" width="{w}" height="{h}" viewBox="{viewbox}">{_hatch(uid + "m", scale)}'
    )
    thin = f"{0.6 / scale:.3g}"
    white = []
    parts.append(f'<g stroke="{BORDER}" stroke-width="{thin}" stroke-linejoin="round">')
    for code, d in layer.paths.items():
        row = by_code.get(code)
        if row is None:
            parts.append(
                f'<path d="{d}" fill="{NO_DATA_FILL}" stroke="{OUTSIDE_STROKE}">'
                f"<title>{code} : aucun retraité dans le fichier</title></path>"
            )
            continue
        fill = f"url(#{uid}m-secret)" if row.secret else colour(row.map_class)
        parts.append(
            f'<path d="{d}" fill="{fill}" data-commune="{code}" '
            f'data-classe="{"secret" if row.secret else row.map_class}">'
            f"<title>{escape(commune_label(row))}</title></path>"
        )
        if row.zone_blanche:
            white.append((code, d))
    parts.append("</g>")
    # les zones blanches par-dessus leurs voisines : un liseré blanc sous un trait noir épais
    # (plus fin sur une carte dense, une région, où il couvrirait les petites communes)
    outline = 2.5 if len(layer.paths) <= 800 else 1.3
    halo = (outline + 2) / scale
    for code, d in white:
        parts.append(
            f'<path d="{d}" fill="none" stroke="{BORDER}" stroke-width="{halo:.3g}" '
            f'stroke-linejoin="round"/><path d="{d}" fill="none" stroke="{WHITE_ZONE_STROKE}" '
            f'stroke-width="{outline / scale:.3g}" stroke-linejoin="round" '
            f'data-zone-blanche="{code}"/>'
        )
    parts.append("</svg>")
    _legend(parts, uid, legend_top, items, width)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def departement_reference(rows: Sequence) -> fragility.Reference:
    """Moyenne et écart type des scores moyens (exacts) des départements montrés."""
    return fragility.reference(r.exact_mean for r in rows if r.exact_mean is not None)


def departement_map(
    *,
    title: str,
    description: str,
    rows: Sequence,
    scope: list[str],
    names: dict[str, str],
    width: int = 640,
    max_height: int = 600,
) -> SafeString:
    """La carte des départements : ``rows`` (``DepartementRow``) colorés par classe contre les
    départements montrés, cadrée sur ``scope`` (les départements du périmètre) ; les voisins en
    gris clair ; l'outre-mer du périmètre en médaillons sous la carte."""
    ref = departement_reference(rows)
    by_code = {r.departement: r for r in rows}
    layer = geometry.departements()
    box = geometry.departement_bbox(scope) or layer.bbox
    x0, y0, x1, y1 = box
    margin = max(x1 - x0, y1 - y0) * 0.06
    box = (x0 - margin, y0 - margin, x1 + margin, y1 + margin)
    scale, w, h, viewbox = _frame(box, width, max_height)
    overseas = [
        c for c in scope if not geometry.has_outline(c) and geometry.communes([c]) is not None
    ]
    inset, gap = 110, 12
    per_row = max(1, (width + gap) // (inset + gap))
    inset_rows = (len(overseas) + per_row - 1) // per_row
    insets_h = inset_rows * (inset + 28)
    items = [(c, BORDER, label) for c, label in legend_items(ref)]
    items += [
        ("hatch", SECRET_HATCH, "Pas de chiffres pour cette année"),
        (OUTSIDE_FILL, OUTSIDE_STROKE, "Hors du périmètre"),
    ]
    legend_top = h + 16 + insets_h
    parts, uid = _open(title, description, max(w, width), legend_top + 20 * len(items) + 4)
    parts.append(_legend_hatch(uid))
    parts.append(f'<svg x="0" y="0" width="{w}" height="{h}" viewBox="{viewbox}">')
    parts.append(_hatch(uid + "m", scale))
    thin = f"{0.8 / scale:.3g}"
    for code, d in layer.paths.items():
        label = f"{code} {names.get(code, '')}".strip()
        if code not in scope:
            parts.append(
                f'<path d="{d}" fill="{OUTSIDE_FILL}" stroke="{OUTSIDE_STROKE}" '
                f'stroke-width="{thin}"><title>{escape(label)} : hors du périmètre</title></path>'
            )
            continue
        fill, text = _departement_fill(by_code.get(code), ref, uid + "m")
        parts.append(
            f'<path d="{d}" fill="{fill}" stroke="{BORDER}" stroke-width="{thin}" '
            f'data-departement="{code}"><title>{escape(label)} : {escape(text)}</title></path>'
        )
    parts.append("</svg>")
    paris = _paris_inset(layer, scope, by_code, ref, names, uid, scale)
    if paris:
        parts.append(paris)
    for i, code in enumerate(overseas):
        ix, iy = (i % per_row) * (inset + gap), h + 16 + (i // per_row) * (inset + 28)
        fill, text = _departement_fill(by_code.get(code), ref, uid)
        parts.append(_inset(code, names.get(code, ""), text, fill, ix, iy, inset))
    _legend(parts, uid, legend_top, items, width)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


PARIS = ("75", "92", "93", "94")


def _paris_inset(layer, scope, by_code, ref, names, uid, scale) -> str:
    """Paris et la petite couronne agrandis dans un coin, quand la carte montre la France
    entière (ils y sont trop petits pour être lus)."""
    if not any(c in scope for c in PARIS) or scale > 2:
        return ""
    box = geometry.departement_bbox(list(PARIS))
    if box is None:
        return ""
    x0, y0, x1, y1 = box
    size = 120
    zoom = min(size / (x1 - x0), size / (y1 - y0))
    out = [
        f'<rect x="4.5" y="4.5" width="{size + 8}" height="{size + 26}" '
        f'fill="#FFFFFF" stroke="{OUTSIDE_STROKE}"/>'
        f'<svg x="8.5" y="8.5" width="{size}" height="{size}" '
        f'viewBox="{x0} {y0} {x1 - x0} {y1 - y0}">'
    ]
    for code in PARIS:
        label = f"{code} {names.get(code, '')}".strip()
        if code in scope:
            fill, text = _departement_fill(by_code.get(code), ref, uid + "m")
        else:
            fill, text = OUTSIDE_FILL, "hors du périmètre"
        out.append(
            f'<path d="{layer.paths[code]}" fill="{fill}" stroke="{BORDER}" '
            f'stroke-width="{1 / zoom:.3g}"><title>{escape(label)} : {escape(text)}</title></path>'
        )
    out.append(
        f'</svg><text x="{size / 2 + 8.5}" y="{size + 24}" text-anchor="middle" '
        f'fill="{TEXT}" font-size="11">Paris et petite couronne</text>'
    )
    return "".join(out)


def _departement_fill(row, ref: fragility.Reference, uid: str) -> tuple[str, str]:
    if row is None or row.exact_mean is None:
        return f"url(#{uid}-secret)", "pas de chiffres pour cette année"
    cls = fragility.map_class(row.exact_mean, ref)
    return colour(cls), (
        f"score moyen {_number(row.score_moyen)}, {row.communes_fragiles} communes fragiles, "
        f"{row.zones_blanches} zones blanches"
    )


def _inset(code: str, name: str, text: str, fill: str, x: int, y: int, size: int) -> str:
    """Un département d'outre-mer en médaillon : ses communes d'une seule couleur."""
    layer = geometry.communes([code])
    label = f"{code} {name}".strip()
    out = [
        f'<rect x="{x + 0.5}" y="{y + 0.5}" width="{size}" height="{size}" fill="none" '
        f'stroke="{OUTSIDE_STROKE}"/>'
    ]
    if layer is not None:
        scale, w, h, viewbox = _frame(layer.bbox, size - 12, size - 12)
        ox, oy = x + (size - w) / 2, y + (size - h) / 2
        shapes = "".join(f'<path d="{d}"/>' for d in layer.paths.values())
        out.append(
            f'<svg x="{ox:.1f}" y="{oy:.1f}" width="{w}" height="{h}" viewBox="{viewbox}">'
            f'<g fill="{fill}" stroke="{fill}" stroke-width="{0.5 / scale:.3g}" '
            f'data-departement="{code}"><title>{escape(label)} : {escape(text)}</title>'
            f"{shapes}</g></svg>"
        )
    out.append(
        f'<text x="{x + size / 2}" y="{y + size + 16}" text-anchor="middle" fill="{TEXT}">'
        f"{escape(label[:24])}</text>"
    )
    return "".join(out)


def evolution_chart(
    title: str, points: Sequence[tuple[int, float | None]], *, width: int = 320
) -> SafeString | None:
    """Le score moyen par année, en ligne brisée avec les valeurs écrites ; ``None`` en dessous
    de deux années chiffrées."""
    known = [(y, v) for y, v in points if v is not None]
    if len(known) < 2:
        return None
    height, pad, bottom = 150, 28, 22
    low = min(v for _, v in known)
    high = max(v for _, v in known)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / (len(known) - 1)
    plot_h = height - bottom - 2 * pad / 2 - 10

    def xy(i: int, v: float) -> tuple[float, float]:
        return pad + i * step, 18 + plot_h * (high - v) / span

    parts, _uid = _open(title, "Score moyen par année importée.", width, height)
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, (_, v) in enumerate(known)))
    parts.append(f'<polyline points="{line}" fill="none" stroke="#000091" stroke-width="2"/>')
    for i, (year, v) in enumerate(known):
        x, y = xy(i, v)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#000091"/>'
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" fill="{TEXT}">'
            f"{_number(v)}</text>"
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" fill="{TEXT}">{year}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
