"""Le rapport en tableaux libellés en français : la même source pour le tableur, le PDF et les
pages. Chaque tableau : une clé, un titre, des en-têtes et des lignes (libellé, valeurs…)."""

from dataclasses import dataclass

from parcours.core.nomenclatures import (
    Emetteur,
    Issue,
    Mode,
    Programme,
    Risque,
    Secteur,
    Sexe,
    TypeCollectif,
)
from parcours.rules import wording

COUNT, PCT, MONTHS = "nombre", "pourcentage", "mois"

AGE_LABELS = {
    "moins_26": "Moins de 26 ans",
    "26_45": "26 à 45 ans",
    "46_59": "46 à 59 ans",
    "60_74": "60 à 74 ans",
    "75_et_plus": "75 ans et plus",
    "moins_46": "Moins de 46 ans",
    "46_et_plus": "46 ans et plus",
}
UNKNOWN_LABEL = "Non renseigné"
SEXE_LABELS = {"F": "Femmes", "M": "Hommes"}


def label(nomenclature, code: str) -> str:
    if code == "INCONNU":
        return UNKNOWN_LABEL
    try:
        return nomenclature(code).label
    except ValueError:
        return code


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    kinds: list[str]  # kind of each value column: COUNT, PCT, MONTHS

    @property
    def sheet(self) -> str:
        return self.title[:31]


def key_figures(d: dict) -> Table:
    p = d["personnes"]
    rows = [
        ["Personnes aidées", p["total"]],
        ["dont individuellement seulement", p["individuel_seul"]],
        ["dont individuellement et collectivement", p["individuel_et_collectif"]],
        ["dont collectivement seulement", p["collectif_seul"]],
        ["Entretiens individuels", d["entretiens"]["total"]],
        ["dont en face à face", d["entretiens"]["face_a_face"]],
        ["dont par téléphone", d["entretiens"]["par_mode"]["TELEPHONE"]],
        ["Contacts d'accueil (téléphone, accueil)", d["contacts_accueil"]],
        ["Signalements reçus", d["signalements"]["total"]],
        ["Offres de service envoyées", d["offres"]["envoyees"]],
        ["Offres suivies d'une intervention (90 jours)", d["offres"]["suivies_d_intervention"]],
    ]
    table = Table("chiffres", "Chiffres clés", ["Indicateur", "Valeur"], rows, [COUNT])
    table.rows.append(["Taux de suite des offres (%)", d["offres"]["taux_pct"]])
    return table


def population(d: dict) -> Table:
    p = d["personnes"]
    rows = [[SEXE_LABELS[s], p["sexe"][s]] for s in Sexe.values]
    rows += [[AGE_LABELS[k], v] for k, v in p["age"].items()]
    return Table(
        "population", "Population aidée", ["Sexe, âge au 31 décembre", "Personnes"], rows, [COUNT]
    )


def modes(d: dict) -> Table:
    e = d["entretiens"]
    rows = [[label(Mode, m), e["par_mode"][m]] for m in Mode.values]
    rows.append(["Total", e["total"]])
    return Table("modes", "Entretiens par mode", ["Mode", "Entretiens"], rows, [COUNT])


def programmes(d: dict) -> Table:
    rows = [
        [label(Programme, code), v["individuel"], v["collectif"], v["total"]]
        for code, v in d["programmes"].items()
    ]
    return Table(
        "programmes",
        "Personnes par programme",
        ["Programme", "Individuellement", "Collectivement", "Ensemble"],
        rows,
        [COUNT, COUNT, COUNT],
    )


def collective(d: dict) -> Table:
    c = d["collectif"]
    rows = [
        [label(TypeCollectif, t), v["seances"], v["participants"]] for t, v in c["par_type"].items()
    ]
    rows.append(
        [f"Total ({wording.count(c['actions'], 'une action')})", c["seances"], c["participants"]]
    )
    return Table(
        "collectif",
        "Actions collectives",
        ["Type", "Séances", "Participants distincts"],
        rows,
        [COUNT, COUNT],
    )


def referrals(d: dict) -> Table:
    s = d["signalements"]
    rows = [[label(Emetteur, e), n] for e, n in s["par_emetteur"].items()]
    rows.append(["Total", s["total"]])
    return Table(
        "signalements", "Signalements par émetteur", ["Émetteur", "Signalements"], rows, [COUNT]
    )


def pdp_entry(d: dict) -> Table:
    p = d["pdp"]
    rows = [
        [
            "Participants aux réunions d'information collective",
            p["participants_information_collective"],
        ],
        ["Personnes signalées par le service médical", p["signales_service_medical"]],
        ["Personnes accompagnées (entretien dans l'année)", p["accompagnes"]],
        ["Accompagnements clos dans l'année", p["clotures"]],
    ]
    table = Table("pdp", "PDP — les trois étapes", ["Étape", "Valeur"], rows, [COUNT])
    table.rows.append(["Durée moyenne des accompagnements clos (mois)", p["duree_moyenne_mois"]])
    return table


def pdp_profile(d: dict) -> Table:
    p = d["pdp"]
    rows = [["Sexe", SEXE_LABELS[s], v] for s, v in p["sexe_pct"].items()]
    rows += [["Âge au 31 décembre", AGE_LABELS[k], v] for k, v in p["age_pct"].items()]
    rows += [["Risque", label(Risque, k), v] for k, v in p["risque_pct"].items()]
    rows += [["Secteur", label(Secteur, k), v] for k, v in p["secteur_pct"].items()]
    return Table(
        "pdp_profil",
        "PDP — profil des personnes",
        ["Critère", "Valeur", "Part (%)"],
        rows,
        ["texte", PCT],
    )


def pdp_outcomes(d: dict) -> Table:
    p = d["pdp"]
    rows = [
        [label(Issue, k) if k != "AUTRE" else "Autres issues", v]
        for k, v in p["issues_pct"].items()
    ]
    return Table("pdp_issues", "PDP — issues des clôtures", ["Issue", "Part (%)"], rows, [PCT])


def departements(d: dict) -> Table:
    rows = [
        [
            f"{dep['territoire']['code']} — {dep['territoire']['libelle']}",
            dep["personnes"]["total"],
            dep["entretiens"]["total"],
            dep["entretiens"]["par_mode"]["VAD"],
            dep["pdp"]["accompagnes"],
            dep["collectif"]["participants"],
        ]
        for dep in d["departements"]
    ]
    return Table(
        "departements",
        "Par département",
        [
            "Département",
            "Personnes aidées",
            "Entretiens",
            "Visites à domicile",
            "Accompagnés PDP",
            "Participants collectifs",
        ],
        rows,
        [COUNT] * 5,
    )


def history(series: list[dict]) -> Table:
    rows = [
        [
            s["annee"],
            s["personnes"]["total"],
            s["personnes"]["individuel_seul"] + s["personnes"]["individuel_et_collectif"],
            s["personnes"]["collectif_seul"] + s["personnes"]["individuel_et_collectif"],
            s["entretiens"]["total"],
            s["entretiens"]["face_a_face"],
            s["entretiens"]["par_mode"]["VAD"],
            s["entretiens"]["par_mode"]["TELEPHONE"],
            s["pdp"]["accompagnes"],
        ]
        for s in series
    ]
    return Table(
        "evolution",
        "Évolution sur 5 ans",
        [
            "Année",
            "Personnes aidées",
            "Individuellement",
            "Collectivement",
            "Entretiens",
            "Face à face",
            "Visites à domicile",
            "Téléphone",
            "Accompagnés PDP",
        ],
        rows,
        [COUNT] * 8,
    )


def all_tables(document: dict, series: list[dict]) -> list[Table]:
    tables = [
        key_figures(document),
        population(document),
        modes(document),
        programmes(document),
        collective(document),
        referrals(document),
        pdp_entry(document),
        pdp_profile(document),
        pdp_outcomes(document),
    ]
    if document["departements"]:
        tables.append(departements(document))
    tables.append(history(series))
    return tables
