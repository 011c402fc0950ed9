"""Le catalogue de démonstration : les exemples de domaine.md §7, en données.

CAF de l'Orne (équipement ménager, amélioration de l'habitat, premier départ en vacances,
équipement de puériculture), CPAM (secours d'urgence, aide forfaitaire sous le seuil de
précarité, aide au-delà du plafond de la C2S), MSA (prime de naissance), CNRACL (aide au
chauffage), Carsat (plan d'actions personnalisé et ARDH). Deux versions datées du règlement :
2025, puis 2026 (revalorisations).
"""

PAP_PARTICIPATION = [
    {"max": "1000", "taux": "10"},
    {"max": "1300", "taux": "20"},
    {"max": "1600", "taux": "35"},
    {"max": "2000", "taux": "50"},
    {"max": None, "taux": "73"},
]


def aids(year: int) -> list[dict]:
    hourly = "24.90" if year >= 2026 else "23.50"
    heating = "760" if year >= 2026 else "700"
    return [
        {
            "code": "caf-equipement-menager",
            "name": "Équipement ménager",
            "source": "CAF de l'Orne",
            "form": "SUBVENTION",
            "conditions": {"qf_max": "600", "canal": "TRAVAILLEUR_SOCIAL", "frequence_mois": 36},
            "amount_rule": {
                "type": "fixe",
                "montant": "500",
                "majorations": [
                    {
                        "si": {"grande_precarite": True, "enfants_min": 1, "enfants_max": 2},
                        "montant": "1300",
                        "libelle": "grande précarité, 1 ou 2 enfants",
                    },
                    {
                        "si": {"grande_precarite": True, "enfants_min": 3},
                        "montant": "1800",
                        "libelle": "grande précarité, 3 enfants ou plus",
                    },
                ],
            },
            "documents": ["Attestation de quotient familial", "Devis de l'équipement"],
            "budget_code": "EQUIPEMENT",
            "delegation_ceiling": "500",
        },
        {
            "code": "caf-amelioration-habitat",
            "name": "Prêt d'amélioration de l'habitat",
            "source": "CAF de l'Orne",
            "form": "PRET",
            "conditions": {"qf_max": "800"},
            "amount_rule": {
                "type": "pourcentage",
                "taux": "80",
                "plafond": "1500",
                "mensualite_min": "30",
            },
            "documents": ["Devis des travaux", "Attestation de quotient familial"],
            "budget_code": "PRETS",
            "delegation_ceiling": "1500",
        },
        {
            "code": "caf-premier-depart",
            "name": "Premier départ en vacances en famille (prêt)",
            "source": "CAF de l'Orne",
            "form": "PRET",
            "conditions": {
                "qf_max": "600",
                "qf_max_handicap": "1000",
                "qf_strict": True,
                "enfants_min": 1,
                "frequence_mois": 60,
            },
            "amount_rule": {"type": "fixe", "montant": "750", "mensualite_min": "25"},
            "documents": ["Devis du séjour (500 €) et du transport (250 €)"],
            "budget_code": "PRETS",
            "delegation_ceiling": "750",
        },
        {
            "code": "caf-equipement-bebe",
            "name": "Prêt d'équipement de puériculture",
            "source": "CAF de l'Orne",
            "form": "PRET",
            "conditions": {"evenements": ["NAISSANCE"], "evenement_mois": 6, "qf_max": "800"},
            "amount_rule": {
                "type": "fixe",
                "montant": "500",
                "mensualite_min": "25",
                "majorations": [
                    {
                        "si": {"naissances": 2},
                        "montant": "700",
                        "mensualite_min": "30",
                        "libelle": "jumeaux",
                    },
                    {
                        "si": {"naissances": 3},
                        "montant": "900",
                        "mensualite_min": "40",
                        "libelle": "triplés",
                    },
                ],
            },  # fmt: skip
            "documents": ["Acte de naissance", "Attestation de quotient familial"],
            "budget_code": "PRETS",
            "delegation_ceiling": "900",
        },
        {
            "code": "cpam-secours-urgence",
            "name": "Secours d'urgence",
            "source": "CPAM",
            "form": "SUBVENTION",
            "conditions": {"canal": "TRAVAILLEUR_SOCIAL", "frequence_mois": 12},
            "amount_rule": {"type": "fixe", "montant": "500"},
            "documents": ["Évaluation sociale", "Justificatifs de ressources"],
            "budget_code": "SECOURS",
            "delegation_ceiling": "300",
        },
        {
            "code": "cpam-aide-precarite",
            "name": "Aide forfaitaire sous le seuil de précarité",
            "source": "CPAM",
            "form": "SUBVENTION",
            "conditions": {"revenu_max": "1102", "frequence_mois": 12},
            "amount_rule": {"type": "fixe", "montant": "300"},
            "documents": ["Justificatifs de ressources des trois derniers mois"],
            "budget_code": "SECOURS",
            "delegation_ceiling": "300",
        },
        {
            "code": "cpam-au-dela-c2s",
            "name": "Aide au-delà du plafond de la complémentaire santé solidaire",
            "source": "CPAM",
            "form": "SUBVENTION",
            "conditions": {"frequence_mois": 12},
            "amount_rule": {
                "type": "tranches",
                "base": "revenu",
                "tranches": [
                    {"max": "810", "montant": "0"},
                    {"max": "1094", "montant": "300"},
                    {"max": "1300", "montant": "150"},
                    {"max": None, "montant": "0"},
                ],
            },
            "documents": ["Notification de refus de la C2S", "Justificatifs de ressources"],
            "budget_code": "SECOURS",
            "delegation_ceiling": "300",
        },
        {
            "code": "msa-prime-naissance",
            "name": "Prime de naissance",
            "source": "MSA",
            "form": "SUBVENTION",
            "conditions": {"regimes": ["MSA"], "evenements": ["NAISSANCE"], "evenement_mois": 6},
            "amount_rule": {"type": "fixe", "montant": "250"},
            "documents": ["Acte de naissance"],
            "budget_code": "FAMILLE",
            "delegation_ceiling": "250",
        },
        {
            "code": "cnracl-chauffage",
            "name": "Aide au chauffage",
            "source": "CNRACL",
            "form": "SUBVENTION",
            "conditions": {"regimes": ["CNRACL"], "age_min": 60, "frequence_mois": 12},
            "amount_rule": {"type": "pourcentage", "taux": "100", "plafond": heating},
            "documents": ["Facture de chauffage", "Avis d'imposition"],
            "budget_code": "MAINTIEN_DOMICILE",
            "delegation_ceiling": "500",
        },
        {
            "code": "carsat-pap",
            "name": "Plan d'actions personnalisé — aide à domicile",
            "source": "Carsat",
            "form": "SUBVENTION",
            "conditions": {
                "regimes": ["REGIME_GENERAL"],
                "age_min": 55,
                "gir_min": 5,
                "gir_max": 6,
                "sans_autre_plan": True,
            },
            "amount_rule": {
                "type": "heures",
                "taux_horaire": hourly,
                "heures_max": "60",
                "participation": PAP_PARTICIPATION,
            },
            "documents": ["Avis d'imposition", "Évaluation des besoins à domicile"],
            "budget_code": "MAINTIEN_DOMICILE",
            "delegation_ceiling": "1500",
        },
        {
            "code": "carsat-ardh",
            "name": "Aide au retour à domicile après hospitalisation (ARDH)",
            "source": "Carsat",
            "form": "SUBVENTION",
            "conditions": {
                "regimes": ["REGIME_GENERAL"],
                "age_min": 55,
                "gir_min": 5,
                "gir_max": 6,
                "evenements": ["HOSPITALISATION"],
                "evenement_mois": 3,
            },
            "amount_rule": {
                "type": "heures",
                "taux_horaire": hourly,
                "heures_max": "72",
                "participation": PAP_PARTICIPATION,
            },
            "documents": ["Bulletin de sortie d'hospitalisation", "Avis d'imposition"],
            "budget_code": "MAINTIEN_DOMICILE",
            "delegation_ceiling": "1800",
        },
    ]


BUDGET_LINES = [
    ("EQUIPEMENT", "Équipement ménager", "20000"),
    ("PRETS", "Prêts sociaux", "40000"),
    ("SECOURS", "Secours et aides financières", "30000"),
    ("FAMILLE", "Aides aux familles", "8000"),
    ("MAINTIEN_DOMICILE", "Maintien à domicile des retraités", "150000"),
]
