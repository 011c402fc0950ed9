from django import forms

from parcours.core.forms import DateInput, Form, ModelForm, PhoneField
from parcours.core.models import Commune, Departement
from parcours.people.models import Person
from parcours.rules import nir as nir_rules


class SearchForm(Form):
    q = forms.CharField(
        label="Rechercher une personne",
        max_length=100,
        required=False,
        help_text="Nom, prénom, date de naissance (JJ/MM/AAAA), téléphone ou NIR.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )


class PersonForm(ModelForm):
    nir = forms.CharField(
        label="NIR (numéro de sécurité sociale)",
        required=False,
        max_length=25,
        help_text="13 caractères et la clé de 2 chiffres ; espaces acceptés.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    departement = forms.ModelChoiceField(
        label="Département de résidence", queryset=Departement.objects.none()
    )
    commune_code = forms.CharField(
        label="Commune (code INSEE)",
        required=False,
        max_length=5,
        help_text="Par exemple 01053 pour Bourg-en-Bresse.",
    )
    confirm_duplicate = forms.BooleanField(
        label="Je confirme qu'il s'agit d'une autre personne",
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Person
        fields = [
            "last_name",
            "birth_name",
            "first_names",
            "sex",
            "birth_date",
            "departement",
            "address",
            "postal_code",
            "phone",
            "email",
            "preferred_channel",
            "language",
            "status",
            "family_situation",
            "housing",
            "employment",
            "legal_protection",
            "long_term_illness",
            "gir",
        ]
        widgets = {"birth_date": DateInput(), "sex": forms.RadioSelect}
        field_classes = {"phone": PhoneField}

    def __init__(self, *args, departements, with_nir=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = Departement.objects.filter(code__in=departements)
        self.fields["sex"].choices = [c for c in self.fields["sex"].choices if c[0]]
        self.fields["sex"].widget.inline = True
        if self.instance.pk and self.instance.commune_id:
            self.initial.setdefault("commune_code", self.instance.commune_id)
        if not with_nir:
            del self.fields["nir"]
        self.order_fields(
            [
                "last_name",
                "birth_name",
                "first_names",
                "sex",
                "birth_date",
                "nir",
                "departement",
                "commune_code",
                "address",
                "postal_code",
            ]
        )

    def clean_nir(self):
        raw = self.cleaned_data.get("nir", "")
        if not raw.strip():
            return ""
        try:
            return nir_rules.validate(raw)
        except nir_rules.NirError as error:
            raise forms.ValidationError(error.message) from None

    def clean_gir(self):
        gir = self.cleaned_data.get("gir")
        if gir is not None and not 1 <= gir <= 6:
            raise forms.ValidationError("Le GIR est un niveau de 1 (le plus dépendant) à 6.")
        return gir

    def clean_birth_date(self):
        from parcours.core import clock

        birth = self.cleaned_data["birth_date"]
        if birth > clock.today():
            raise forms.ValidationError("La date de naissance ne peut pas être dans le futur.")
        if birth.year < 1900:
            raise forms.ValidationError("Vérifiez l'année de naissance.")
        return birth

    def clean(self):
        data = super().clean()
        code = (data.get("commune_code") or "").strip().upper()
        departement = data.get("departement")
        data["commune"] = None
        if code:
            commune = Commune.objects.filter(code=code).first()
            if commune is None:
                self.add_error("commune_code", f"Code commune inconnu : « {code} ».")
            elif departement and commune.departement_id != departement.code:
                self.add_error(
                    "commune_code", f"{commune.name} n'est pas dans le département {departement}."
                )
            else:
                data["commune"] = commune
        nir = data.get("nir")
        if (
            nir
            and data.get("sex")
            and nir[0] in "12"
            and nir[0] != {"M": "1", "F": "2"}[data["sex"]]
        ):
            self.add_error(
                "nir", "Le NIR ne correspond pas au sexe indiqué (1 : homme, 2 : femme)."
            )
        return data

    def person_data(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in {"nir", "commune_code", "confirm_duplicate"}
        }
        return data
