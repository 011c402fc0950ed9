from decimal import Decimal

from django import forms

from parcours.core.uploads import LimitedFileField, check_unpacked_size
from parcours.steering import policies
from parcours.steering.indicators import INDICATORS, PERCENT

FIRST_YEAR = 2000


class SelectionForm(forms.Form):
    """Année et territoire d'une page de pilotage (GET)."""

    annee = forms.TypedChoiceField(label="Année", coerce=int)
    territoire = forms.ChoiceField(label="Territoire")

    def __init__(self, *args, territories, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [(y, str(y)) for y in range(today.year, FIRST_YEAR - 1, -1)]
        self.fields["territoire"].choices = [
            (policies.territory_key(t), _territory_label(t)) for t in territories
        ]
        self.territories = {policies.territory_key(t): t for t in territories}


def _territory_label(where) -> str:
    if where.level == "organisation":
        return f"Tout l'organisme — {where.label}"
    if where.level == "region":
        return f"Région {where.label}"
    return f"{where.code} — {where.label}"


def field_name(code: str) -> str:
    return "objectif_" + code.replace(".", "_")


class TargetsForm(forms.Form):
    """Un objectif (facultatif) par indicateur ; un pourcentage est entre 0 et 100."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in INDICATORS:
            self.fields[field_name(indicator.code)] = forms.DecimalField(
                label=f"{indicator.label} ({indicator.unit})",
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100) if indicator.unit == PERCENT else None,
                max_digits=12,
                decimal_places=2,
                localize=True,
                error_messages={
                    "invalid": "Saisissez un nombre, par exemple 87,5.",
                    "min_value": "L'objectif ne peut pas être négatif.",
                    "max_value": "Un pourcentage ne dépasse pas 100.",
                    "max_decimal_places": "Deux décimales au plus.",
                },
            )

    def values(self) -> dict:
        return {i.code: self.cleaned_data.get(field_name(i.code)) for i in INDICATORS}


class HistoryUploadForm(forms.Form):
    archive = LimitedFileField(
        label="Lot d'historique (archive .zip des fichiers CSV)",
        help_text=(
            "Fichiers de formats.md §2 : beneficiaires.csv obligatoire, les autres facultatifs."
        ),
        error_messages={"required": "Choisissez l'archive .zip à importer."},
    )

    def clean_archive(self):
        import zipfile

        archive = self.cleaned_data["archive"]
        if not archive.name.lower().endswith(".zip") or not zipfile.is_zipfile(archive):
            raise forms.ValidationError("Le fichier doit être une archive .zip.")
        archive.seek(0)
        check_unpacked_size(archive)
        return archive
