"""Les formulaires de la protection des données : l'export du droit d'accès (format, notes
privées communiquées ou retenues, motif légal et sa précision) ; l'extrait pseudonymisé lancé du
web."""

from django import forms

from parcours.core.forms import EMPTY_LABEL, Form
from parcours.privacy.models import DIMENSION_LABELS, AccessExport

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
