"""Les formulaires de la protection des données : l'export du droit d'accès (format, notes
privées communiquées ou retenues, motif légal et sa précision) ; l'extrait pseudonymisé lancé du
web ; une ligne du registre des traitements et les durées de conservation."""

from django import forms

from parcours.core.forms import EMPTY_LABEL, Form
from parcours.privacy.models import DIMENSION_LABELS, AccessExport, Processing
from parcours.privacy.services.register import NO_RETENTION, REQUIRED
from parcours.rules.retention import BOUNDS

COMMUNICATE, WITHHOLD = "communiquer", "retenir"


class AccessExportForm(Form):
    format = forms.ChoiceField(
        label="Format du fichier remis",
        choices=[
            (AccessExport.Format.PDF, "PDF (document à remettre ou envoyer à la personne)"),
            (AccessExport.Format.JSON, "JSON (données structurées, portables)"),
        ],
        initial=AccessExport.Format.PDF,
        widget=forms.RadioSelect,
    )
    private_notes = forms.ChoiceField(
        label="Notes privées des travailleurs sociaux",
        choices=[
            (COMMUNICATE, "Les communiquer (par défaut : elles font partie du dossier)"),
            (WITHHOLD, "Les retenir, pour un motif prévu par la loi"),
        ],
        initial=COMMUNICATE,
        widget=forms.RadioSelect,
    )
    withheld_reason = forms.ChoiceField(
        label="Motif légal de la rétention",
        choices=[("", EMPTY_LABEL)] + list(AccessExport.WithheldReason.choices),
        required=False,
    )
    withheld_details = forms.CharField(
        label="Précision du motif",
        help_text="Elle figure dans l'export remis à la personne et dans le journal.",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def options(self) -> dict:
        """Les arguments du service, une fois le formulaire valide."""
        data = self.cleaned_data
        withhold = data["private_notes"] == WITHHOLD
        return {
            "withhold_private_notes": withhold,
            "reason": data["withheld_reason"] if withhold else "",
            "details": data["withheld_details"] if withhold else "",
        }


class AccessLookupForm(Form):
    """Trouver la personne qui exerce son droit d'accès, par son NIR (le DPO ne voit pas les
    fiches : il n'a pas la recherche des personnes)."""

    nir = forms.CharField(
        label="NIR de la personne",
        help_text="15 caractères, clé comprise ; espaces permis.",
        max_length=30,
    )

    def clean_nir(self) -> str:
        from parcours.rules import nir as nir_rules

        try:
            return nir_rules.validate(self.cleaned_data["nir"])
        except nir_rules.NirError as error:
            raise forms.ValidationError(str(error)) from None


FIRST_YEAR = 2000


class ExtractForm(Form):
    """Année, format et, au choix, les dimensions des agrégats (sinon : une ligne par
    entretien)."""

    annee = forms.TypedChoiceField(label="Année", coerce=int)
    format = forms.ChoiceField(
        label="Format", choices=[("csv", "CSV (tableur)"), ("parquet", "Parquet")], initial="csv"
    )
    agregats = forms.MultipleChoiceField(
        label="Agrégats par",
        help_text="Cochez des dimensions pour obtenir les comptes par case, sous secret "
        "statistique (moins de 11 personnes : masquée), au lieu d'une ligne par entretien.",
        choices=list(DIMENSION_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [(y, str(y)) for y in range(today.year, FIRST_YEAR - 1, -1)]
        self.fields["annee"].initial = today.year - 1


# --- registre des traitements et durées de conservation ---------------------------------

LINES_HELP = "Une par ligne."


def _text(label, *, rows=3, help_text="", required=True, max_length=4000):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ProcessingForm(Form):
    name = forms.CharField(label="Traitement", max_length=200)
    code = forms.SlugField(
        label="Code",
        max_length=40,
        help_text="Lettres minuscules, chiffres et tirets ; unique dans le registre.",
    )
    purpose = _text("Finalité", rows=4)
    legal_basis = forms.ChoiceField(
        label="Base légale (article 6 du RGPD)",
        choices=[("", EMPTY_LABEL), *Processing.LegalBasis.choices],
    )
    health_condition = forms.CharField(
        label="Données de santé : condition de l'article 9 du RGPD",
        required=False,
        max_length=300,
        help_text="Vide si le traitement ne porte pas de données de santé.",
    )
    data_categories = _text("Catégories de données", rows=5, help_text=LINES_HELP)
    people_categories = _text("Catégories de personnes", help_text=LINES_HELP)
    recipients = _text("Destinataires", help_text=LINES_HELP)
    retention_rule = forms.ChoiceField(
        label="Durée de conservation de l'organisme appliquée",
        required=False,
        choices=[("", "Aucune (durée propre, ci-dessous)"), *Processing.RetentionRule.choices],
        help_text="La durée suit alors les durées de conservation de l'organisme.",
    )
    retention = forms.CharField(
        label="Durée de conservation (propre ou complément)",
        required=False,
        max_length=300,
    )
    articles = _text("Textes applicables", required=False, help_text=LINES_HELP)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in REQUIRED.items():
            self.fields[name].error_messages["required"] = message

    def clean(self):
        data = super().clean()
        if not data.get("retention_rule") and not (data.get("retention") or "").strip():
            self.add_error("retention", NO_RETENTION)
        return data

    @staticmethod
    def initial_for(processing):
        if processing is None:
            return {}
        return {
            field: getattr(processing, field)
            for field in (
                "name",
                "code",
                "purpose",
                "legal_basis",
                "health_condition",
                "data_categories",
                "people_categories",
                "recipients",
                "retention_rule",
                "retention",
                "articles",
                "version",
            )
        }

    def service_data(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ProcessingDeleteForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RetentionRulesForm(Form):
    """Les bornes viennent de ``rules.retention.BOUNDS`` (vérifiées aussi par le service)."""

    closed_files_years = forms.IntegerField(label="Dossiers clos (années)")
    unreached_targets_months = forms.IntegerField(label="Personnes ciblées jamais jointes (mois)")
    import_files_months = forms.IntegerField(label="Fichiers importés (mois)")
    audit_years = forms.IntegerField(label="Journal des accès et écritures (années)")

    HELP = {
        "closed_files_years": "après la dernière clôture (aucun accompagnement, aucune aide, "
        "aucun prêt ni indu en cours), puis anonymisation",
        "unreached_targets_months": "après le ciblage, puis suppression",
        "import_files_months": "après le dépôt, puis suppression",
        "audit_years": "puis suppression par la purge",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, bound in BOUNDS.items():
            field = self.fields[name]
            field.help_text = (
                f"De {bound.minimum} à {bound.maximum} {bound.unit}, {self.HELP[name]}."
            )
            field.error_messages["invalid"] = (
                f"{bound.label} : la durée s'écrit en chiffres, en {bound.unit}."
            )
            field.error_messages["required"] = (
                f"{bound.label} : indiquez une durée en {bound.unit}."
            )
            field.widget.attrs.update({"inputmode": "numeric"})
