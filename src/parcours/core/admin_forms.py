from django import forms

from parcours.core.forms import DateInput, Form, ModelForm
from parcours.core.models import AuditEntry, Commune, Departement, Site, User
from parcours.core.nomenclatures import Fonction


class OrganisationForm(Form):
    name = forms.CharField(label="Nom", max_length=200)
    departements = forms.ModelMultipleChoiceField(
        label="Départements couverts",
        queryset=Departement.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
    )
    home_visit_target = forms.IntegerField(
        label="Objectif annuel de visites à domicile par AS à temps plein",
        min_value=0,
        max_value=2000,
    )


class SiteForm(ModelForm):
    commune_code = forms.CharField(label="Commune (code INSEE)", max_length=5, required=False)

    class Meta:
        model = Site
        fields = ["name", "kind", "departement", "address", "partner", "active"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = organisation.departements.all()
        if self.instance.pk and self.instance.commune_id:
            self.initial.setdefault("commune_code", self.instance.commune_id)

    def clean(self):
        data = super().clean()
        code = (data.get("commune_code") or "").strip()
        data["commune"] = None
        if code:
            data["commune"] = Commune.objects.filter(code=code).first()
            if data["commune"] is None:
                self.add_error("commune_code", f"Code commune inconnu : « {code} ».")
        return data

    def site_data(self):
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["commune"] = self.cleaned_data.get("commune")
        return data


class SectorForm(Form):
    name = forms.CharField(label="Nom", max_length=200)
    departement = forms.ModelChoiceField(label="Département", queryset=Departement.objects.none())
    social_worker = forms.ModelChoiceField(
        label="AS du secteur", queryset=User.objects.none(), required=False
    )
    communes = forms.CharField(
        label="Communes (codes INSEE)",
        required=False,
        help_text="Séparés par des espaces, des virgules ou des retours à la ligne.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = organisation.departements.all()
        self.fields["social_worker"].queryset = User.objects.filter(
            organisation=organisation, function=Fonction.AS, is_active=True
        )


class StaffForm(ModelForm):
    departements = forms.ModelMultipleChoiceField(
        label="Départements d'intervention",
        queryset=Departement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    password = forms.CharField(
        label="Mot de passe initial",
        required=False,
        strip=False,
        help_text="12 caractères au moins ; laisser vide pour ne pas le changer.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "function",
            "fte",
            "site",
            "competences",
            "is_org_admin",
            "is_active",
        ]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departements"].queryset = organisation.departements.all()
        self.fields["departements"].widget.inline = True
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation)
        self.fields["first_name"].required = self.fields["last_name"].required = True
        if self.instance.pk:
            self.initial.setdefault(
                "departements", list(self.instance.departements.values_list("code", flat=True))
            )

    def clean_fte(self):
        fte = self.cleaned_data["fte"]
        if fte is None or not 0.1 <= float(fte) <= 1:
            raise forms.ValidationError("L'ETP est compris entre 0,1 et 1.")
        return fte

    def staff_data(self):
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class AuditFilterForm(Form):
    actor = forms.ModelChoiceField(
        label="Agent", queryset=User.objects.none(), required=False, empty_label="Tous"
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Toutes"), *AuditEntry.Action.choices]
    )
    object_type = forms.ChoiceField(label="Objet", required=False)
    person_id = forms.IntegerField(label="Personne (identifiant)", required=False, min_value=1)
    start = forms.DateField(label="Du", required=False, widget=DateInput())
    end = forms.DateField(label="Au", required=False, widget=DateInput())

    def __init__(self, *args, organisation, object_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = User.objects.filter(organisation=organisation)
        self.fields["object_type"].choices = [("", "Tous")] + [(t, t) for t in object_types]
