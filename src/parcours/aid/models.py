"""Évaluations des besoins (AGGIR/GIR), catalogue des aides sous règlement daté, demandes,
commissions, paiements et échéanciers de prêts."""

from django.conf import settings
from django.db import models

from parcours.core.models import Departement, Organisation
from parcours.partners.models import Convention, Partner
from parcours.people.models import Person
from parcours.rules import aggir
from parcours.rules import aid_workflow as wf
from parcours.rules import evaluation as evaluation_rules

MODALITY_CHOICES = [(m, aggir.MODALITY_LABELS[m]) for m in aggir.MODALITIES]


class Evaluation(models.Model):
    """Évaluation globale des besoins : situation, grille AGGIR, GIR calculé, plan proposé."""

    class Kind(models.TextChoices):
        PREMIERE_DEMANDE = "PREMIERE_DEMANDE", "Première demande"
        CHANGEMENT_FREQUENCE = "CHANGEMENT_FREQUENCE", "Changement de fréquence"
        RENOUVELLEMENT = "RENOUVELLEMENT", "Renouvellement"
        AUTRE_ORGANISME = "AUTRE_ORGANISME", "Évaluation pour un autre organisme"

    class Place(models.TextChoices):
        DOMICILE = "DOMICILE", "À domicile"
        BUREAU = "BUREAU", "Au bureau"
        ETABLISSEMENT = "ETABLISSEMENT", "En établissement de santé"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="evaluations")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="évaluateur·rice",
    )
    evaluated_on = models.DateField("date de l'évaluation")
    kind = models.CharField("nature", max_length=30, choices=Kind)
    place = models.CharField("lieu", max_length=20, choices=Place, default=Place.DOMICILE)
    convention = models.ForeignKey(
        Convention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name="convention",
    )
    situation = models.TextField("situation")
    coh = models.CharField("COH", max_length=1, choices=MODALITY_CHOICES)
    ori = models.CharField("ORI", max_length=1, choices=MODALITY_CHOICES)
    toi = models.CharField("TOI", max_length=1, choices=MODALITY_CHOICES)
    hab = models.CharField("HAB", max_length=1, choices=MODALITY_CHOICES)
    ali = models.CharField("ALI", max_length=1, choices=MODALITY_CHOICES)
    eli = models.CharField("ELI", max_length=1, choices=MODALITY_CHOICES)
    tra = models.CharField("TRA", max_length=1, choices=MODALITY_CHOICES)
    dpi = models.CharField("DPI", max_length=1, choices=MODALITY_CHOICES)
    dpe = models.CharField("DPE", max_length=1, choices=MODALITY_CHOICES)
    com = models.CharField("COM", max_length=1, choices=MODALITY_CHOICES)
    gir = models.PositiveSmallIntegerField("GIR")
    rank = models.PositiveSmallIntegerField("rang")
    competent_body = models.CharField(
        "organisme compétent",
        max_length=20,
        choices=list(evaluation_rules.BODY_LABELS.items()),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "évaluation des besoins"
        verbose_name_plural = "évaluations des besoins"
        ordering = ["-evaluated_on", "-id"]
        indexes = [
            models.Index(
                fields=["organisation", "departement", "evaluated_on"], name="eval_org_dep"
            ),
            models.Index(fields=["convention", "evaluated_on"], name="eval_convention"),
        ]

    def __str__(self):
        return f"Évaluation du {self.evaluated_on:%d/%m/%Y} — GIR {self.gir}"

    @property
    def grid(self) -> dict[str, str]:
        return {v: getattr(self, v.lower()) for v in aggir.VARIABLES}


class PlanLine(models.Model):
    """Une ligne du plan d'aide proposé : un service et sa quantité."""

    class Service(models.TextChoices):
        AIDE_MENAGERE = "AIDE_MENAGERE", "Aide à domicile (heures par mois)"
        PORTAGE_REPAS = "PORTAGE_REPAS", "Portage de repas (repas par semaine)"
        TELEALARME = "TELEALARME", "Téléassistance (abonnement mensuel)"
        PETITS_TRAVAUX = "PETITS_TRAVAUX", "Petits travaux, aides techniques (interventions)"
        TRANSPORT = "TRANSPORT", "Transport accompagné (trajets par mois)"
        AIDE_AIDANT = "AIDE_AIDANT", "Soutien de l'aidant, répit (heures par mois)"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="plan_lines")
    service = models.CharField("service", max_length=20, choices=Service)
    quantity = models.DecimalField("quantité", max_digits=6, decimal_places=1)
    note = models.CharField("précision", max_length=200, blank=True)

    class Meta:
        verbose_name = "ligne du plan d'aide"
        verbose_name_plural = "lignes du plan d'aide"
        ordering = ["id"]


class Transmission(models.Model):
    """Transmission du dossier à l'organisme compétent (orientation GIR 1–4 / 5–6)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="transmission"
    )
    recipient = models.CharField("destinataire", max_length=200)
    recipient_partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transmissions",
        verbose_name="partenaire destinataire",
    )
    sent_on = models.DateField("date de transmission")
    deadline = models.DateField("date limite de la nouvelle demande")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "transmission"


# ------------------------------------------------------------------ catalogue


class Regulation(models.Model):
    """Une version datée du règlement des aides de l'organisme."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    label = models.CharField("intitulé", max_length=200)
    starts_on = models.DateField("en vigueur à partir du")
    ends_on = models.DateField("jusqu'au (inclus)", null=True, blank=True)

    class Meta:
        verbose_name = "version du règlement"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="regulation_ends_after_start",
            )
        ]

    def __str__(self):
        end = f" au {self.ends_on:%d/%m/%Y}" if self.ends_on else ""
        return f"{self.label} (du {self.starts_on:%d/%m/%Y}{end})"


class BudgetLine(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("code", max_length=40)
    label = models.CharField("intitulé", max_length=200)
    year = models.PositiveSmallIntegerField("année")
    allocated = models.DecimalField("dotation (€)", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "ligne budgétaire"
        ordering = ["year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "year"], name="budget_line_unique"
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.year})"


class Aid(models.Model):
    """Une aide d'une version du règlement ; conditions et montant sont des données."""

    class Form(models.TextChoices):
        SUBVENTION = "SUBVENTION", "Aide non remboursable"
        PRET = "PRET", "Prêt"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    regulation = models.ForeignKey(Regulation, on_delete=models.PROTECT, related_name="aids")
    code = models.SlugField("code", max_length=40, help_text="Stable d'une version à l'autre.")
    name = models.CharField("intitulé", max_length=200)
    source = models.CharField("financeur", max_length=100, blank=True)
    form = models.CharField("forme", max_length=10, choices=Form, default=Form.SUBVENTION)
    conditions = models.JSONField("conditions d'attribution", default=dict, blank=True)
    amount_rule = models.JSONField("règle de montant", default=dict)
    documents = models.JSONField("pièces justificatives", default=list, blank=True)
    budget_code = models.CharField("ligne budgétaire", max_length=40, blank=True)
    delegation_ceiling = models.DecimalField(
        "plafond de délégation au responsable (€)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Au-delà, la commission décide. Vide : toujours en commission.",
    )

    class Meta:
        verbose_name = "aide"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "code"], name="aid_unique_code")
        ]

    def __str__(self):
        return self.name


# ------------------------------------------------------------------ demandes


class CommissionSession(models.Model):
    class State(models.TextChoices):
        PREVUE = "PREVUE", "Prévue"
        TENUE = "TENUE", "Tenue"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("date de la séance")
    state = models.CharField("état", max_length=10, choices=State, default=State.PREVUE)

    class Meta:
        verbose_name = "séance de commission"
        ordering = ["-held_on"]

    def __str__(self):
        return f"Commission du {self.held_on:%d/%m/%Y} ({self.departement_id})"


class AidRequest(models.Model):
    class Channel(models.TextChoices):
        PERSONNE = "PERSONNE", "Demande de la personne"
        TRAVAILLEUR_SOCIAL = "TRAVAILLEUR_SOCIAL", "Demande d'un travailleur social"

    class Route(models.TextChoices):
        DELEGATION = wf.DELEGATION, "Décision déléguée (responsable)"
        COMMISSION = wf.COMMISSION, "Commission"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aid_requests")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+")
    aid = models.ForeignKey(Aid, on_delete=models.PROTECT, related_name="requests")
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    received_on = models.DateField("date de la demande")
    channel = models.CharField("canal", max_length=20, choices=Channel)
    facts = models.JSONField("situation déclarée", default=dict)
    state = models.CharField(
        "état", max_length=20, choices=list(wf.STATE_LABELS.items()), default=wf.RECUE
    )
    missing_documents = models.JSONField("pièces manquantes", default=list, blank=True)
    completed_on = models.DateField("complète le", null=True, blank=True)
    proposed_amount = models.DecimalField("montant calculé (€)", max_digits=10, decimal_places=2)
    eligible = models.BooleanField("éligible selon le règlement")
    reasons = models.JSONField("motifs du calcul", default=list)
    opinion = models.TextField("avis de l'AS", blank=True)
    opinion_favourable = models.BooleanField("avis favorable", null=True, blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opinion_on = models.DateField("date de l'avis", null=True, blank=True)
    session = models.ForeignKey(
        CommissionSession, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    route = models.CharField("circuit de décision", max_length=20, choices=Route, blank=True)
    decided_amount = models.DecimalField(
        "montant accordé (€)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    monthly_repayment = models.DecimalField(
        "mensualité de remboursement (€)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    decision_reason = models.TextField("motif de la décision", blank=True)
    decided_on = models.DateField("date de la décision", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notified_on = models.DateField("date de notification", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = "demande d'aide"
        verbose_name_plural = "demandes d'aide"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "departement", "state"], name="aidreq_org_dep"),
            models.Index(fields=["organisation", "decided_on"], name="aidreq_decided"),
        ]

    def __str__(self):
        return f"{self.aid.name} — demande du {self.received_on:%d/%m/%Y}"

    @property
    def state_label(self) -> str:
        return wf.STATE_LABELS.get(self.state, self.state)

    @property
    def is_loan(self) -> bool:
        return self.aid.form == Aid.Form.PRET


class RequestEvent(models.Model):
    """Historique du circuit : qui a fait passer la demande d'un état à l'autre, et quand."""

    request = models.ForeignKey(AidRequest, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "étape de la demande d'aide"
        verbose_name_plural = "étapes de la demande d'aide"
        ordering = ["id"]

    @property
    def label(self) -> str:
        return wf.STATE_LABELS.get(self.to_state, self.to_state)


class Payment(models.Model):
    class Payee(models.TextChoices):
        PERSONNE = "PERSONNE", "La personne"
        PRESTATAIRE = "PRESTATAIRE", "Un prestataire"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(AidRequest, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    paid_on = models.DateField("date du paiement")
    payee = models.CharField("bénéficiaire du paiement", max_length=20, choices=Payee)
    payee_name = models.CharField("nom du prestataire", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "paiement"
        ordering = ["paid_on", "id"]
        indexes = [models.Index(fields=["organisation", "paid_on"], name="payment_org_on")]


class Instalment(models.Model):
    """Une échéance de remboursement d'un prêt."""

    request = models.ForeignKey(AidRequest, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField("n°")
    due_on = models.DateField("échéance")
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    repaid_on = models.DateField("remboursée le", null=True, blank=True)

    class Meta:
        verbose_name = "échéance de remboursement"
        verbose_name_plural = "échéances de remboursement"
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="instalment_unique")
        ]


class Overpayment(models.Model):
    """Indu : somme versée à tort, dont le recouvrement est suivi."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(AidRequest, on_delete=models.CASCADE, related_name="overpayments")
    amount = models.DecimalField("montant de l'indu (€)", max_digits=10, decimal_places=2)
    detected_on = models.DateField("constaté le")
    reason = models.CharField("motif", max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "indu"
        ordering = ["detected_on", "id"]


class Recovery(models.Model):
    overpayment = models.ForeignKey(
        Overpayment, on_delete=models.CASCADE, related_name="recoveries"
    )
    amount = models.DecimalField("montant recouvré (€)", max_digits=10, decimal_places=2)
    on = models.DateField("date")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "recouvrement"
        ordering = ["on", "id"]
