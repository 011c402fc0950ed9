"""Graphiques SVG faits côté serveur (PDF et pages), aux couleurs du DSFR.

Trois formes : barres horizontales (une valeur par libellé), part (une barre à 100 % et sa
légende) et évolution (barres verticales par année, une ou deux séries). Le SVG ne porte que des
attributs (aucun ``style``) : il passe la politique de sécurité des pages et WeasyPrint le dessine.
Chaque graphique a un titre (``<title>``) et les valeurs écrites : il se lit sans les couleurs.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe

BLUE = "#000091"
PALETTE = (
    "#000091",  # bleu France
    "#009081",  # menthe
    "#E4794A",  # terre battue
    "#A558A0",  # glycine
    "#C8AA39",  # tournesol
    "#417DC4",  # cumulus
    "#E18B76",  # macaron
    "#465F9D",  # écume
    "#B7A73F",  # tilleul
    "#009099",  # archipel
)
GREY = "#666666"
FONT = 'font-family="Marianne, Arial, sans-serif"'


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", "\u202f")


def bars(
    title: str, items: list[tuple[str, float]], *, width: int = 640, unit: str = ""
) -> SafeString:
    """Barres horizontales : une ligne par (libellé, valeur)."""
    row, label_w, top = 22, 230, 8
    height = top + row * len(items) + 8
    biggest = max([v for _, v in items] + [0]) or 1
    span = width - label_w - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT} font-size="11"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = round(span * value / biggest, 1)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" fill="#161616">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row - 7}" fill="{BLUE}"/>'
            f'<text x="{label_w + w + 5}" y="{y + 14}" fill="#161616">'
            f"{_number(value)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def share(title: str, items: list[tuple[str, float]], *, width: int = 640) -> SafeString:
    """Une barre à 100 % découpée par part (valeurs en %), avec sa légende."""
    bar_h, legend_row = 26, 18
    columns = 2
    rows = (len(items) + columns - 1) // columns
    height = bar_h + 12 + rows * legend_row + 4
    total = sum(v for _, v in items) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT} font-size="11"><title>{escape(title)}</title>'
    ]
    x = 0.0
    for i, (_, value) in enumerate(items):
        w = width * value / total
        if w > 0:
            parts.append(
                f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{bar_h}" '
                f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            )
            if w > 34:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="17" text-anchor="middle" fill="#ffffff">'
                    f"{_number(value)} %</text>"
                )
        x += w
    col_w = width // columns
    for i, (label, value) in enumerate(items):
        cx, cy = (i % columns) * col_w, bar_h + 12 + (i // columns) * legend_row
        parts.append(
            f'<rect x="{cx}" y="{cy}" width="11" height="11" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{cx + 16}" y="{cy + 10}" fill="#161616">{escape(label)} : '
            f"{_number(value)} %</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def evolution(
    title: str, years: list[int], series: list[tuple[str, list[float]]], *, width: int = 640
) -> SafeString:
    """Barres verticales par année, une couleur par série (au plus quelques séries)."""
    height, bottom, top, legend = 220, 24, 18, 20
    plot_h = height - bottom - top - legend
    biggest = max([v for _, values in series for v in values] + [0]) or 1
    group_w = width / max(len(years), 1)
    bar_w = min(46, (group_w - 16) / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT} font-size="11"><title>{escape(title)}</title>',
        f'<line x1="0" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" stroke="{GREY}"/>',
    ]
    for yi, year in enumerate(years):
        gx = yi * group_w + (group_w - bar_w * len(series)) / 2
        for si, (_, values) in enumerate(series):
            value = values[yi]
            h = plot_h * value / biggest
            x = gx + si * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 3:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[si % len(PALETTE)]}"/>'
                f'<text x="{x + (bar_w - 3) / 2:.1f}" y="{top + plot_h - h - 3:.1f}" '
                f'text-anchor="middle" font-size="9" fill="#161616">{_number(value)}</text>'
            )
        parts.append(
            f'<text x="{yi * group_w + group_w / 2:.1f}" y="{top + plot_h + 15}" '
            f'text-anchor="middle" fill="#161616">{year}</text>'
        )
    for si, (name, _) in enumerate(series):
        lx = si * 200
        parts.append(
            f'<rect x="{lx}" y="{height - 13}" width="11" height="11" '
            f'fill="{PALETTE[si % len(PALETTE)]}"/>'
            f'<text x="{lx + 16}" y="{height - 3}" fill="#161616">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
