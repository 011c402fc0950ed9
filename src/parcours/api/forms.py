"""Le formulaire d'émission d'un jeton d'API (administration)."""

from django import forms

from parcours.api.models import Scope
from parcours.core.forms import DateInput, Form
from parcours.core.models import Organisation
from parcours.partners.models import Partner


class ApiTokenForm(Form):
    holder = forms.ChoiceField(
        label="Détenteur du jeton",
        help_text="Un partenaire de l'annuaire, ou un autre organisme de l'installation.",
    )
    scopes = forms.MultipleChoiceField(
        label="Portées",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Chaque portée ouvre une ressource de l'API ; n'accordez que le nécessaire.",
    )
    expires_on = forms.DateField(
        label="Échéance", required=False, widget=DateInput, help_text="Vide : sans échéance."
    )
    label = forms.CharField(
        label="Libellé",
        required=False,
        max_length=200,
        help_text="Pour s'y retrouver : le système qui l'utilise (« logiciel de sortie du CH »).",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        partners = Partner.objects.filter(organisation=organisation, active=True).order_by(
            "name", "pk"
        )
        peers = Organisation.objects.exclude(pk=organisation.pk).order_by("name", "pk")
        self.fields["holder"].choices = [
            ("", "Choisir"),
            ("Partenaires de l'annuaire", [(f"p{p.pk}", p.name) for p in partners]),
            ("Autres organismes", [(f"o{o.pk}", o.name) for o in peers]),
        ]
        self._partners = {f"p{p.pk}": p for p in partners}
        self._peers = {f"o{o.pk}": o for o in peers}

    def holder_objects(self):
        """``(partenaire, organisme)`` choisis : l'un des deux est vide."""
        key = self.cleaned_data["holder"]
        return self._partners.get(key), self._peers.get(key)
