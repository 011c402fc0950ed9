import datetime

from django import forms
from django.utils import timezone

from parcours.core import clock
from parcours.core.forms import DateInput, Form
from parcours.core.models import Site, User
from parcours.core.nomenclatures import Canal, Mode
from parcours.core.queries import social_workers
from parcours.outreach.models import AppointmentRequest

APPOINTMENT_MODES = [Mode.RECEPTION_RDV, Mode.PERMANENCE, Mode.VAD, Mode.TELEPHONE, Mode.VISIO]


class RequestForm(Form):
    received_on = forms.DateField(label="Date de la demande", widget=DateInput())
    channel = forms.ChoiceField(
        label="Canal", choices=[("", "— Choisir —"), *Canal.choices], required=False
    )
    reason = forms.CharField(label="Motif", max_length=300, required=False)
    assigned_to = forms.ModelChoiceField(label="AS destinataire", queryset=User.objects.none())

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = social_workers(
            person.organisation_id, person.departement_id
        )
        self.initial.setdefault("received_on", clock.today())


class AppointmentForm(Form):
    day = forms.DateField(label="Jour", widget=DateInput())
    time = forms.TimeField(
        label="Heure", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=10, max_value=240, initial=45
    )
    mode = forms.ChoiceField(label="Mode", choices=[(m.value, m.label) for m in APPOINTMENT_MODES])
    staff = forms.ModelChoiceField(label="Avec", queryset=User.objects.none())
    site = forms.ModelChoiceField(label="Lieu", queryset=Site.objects.none(), required=False)
    request = forms.ModelChoiceField(
        label="En réponse à la demande", queryset=AppointmentRequest.objects.none(), required=False
    )

    def __init__(self, *args, person, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = social_workers(
            person.organisation_id, person.departement_id
        )
        self.fields["site"].queryset = Site.objects.filter(
            organisation_id=person.organisation_id,
            departement_id=person.departement_id,
            active=True,
        )
        self.fields["request"].queryset = requests
        self.fields["request"].label_from_instance = lambda r: (
            f"du {r.received_on:%d/%m/%Y}{' — ' + r.reason if r.reason else ''}"
        )
        self.initial.setdefault("day", clock.today() + datetime.timedelta(days=1))
        pending = requests.first()
        if pending is not None:
            self.initial.setdefault("request", pending.pk)
            self.initial.setdefault("staff", pending.assigned_to_id)

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("time"):
            data["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(data["day"], data["time"])
            )
            if data["starts_at"] < clock.now():
                self.add_error("day", "Un rendez-vous se fixe dans le futur.")
        return data
