from django.urls import path

from parcours.aid.views import catalogue, commission, evaluations, figures, home, requests

urlpatterns = [
    path("", home.home, name="aides"),
    path("personnes/<int:pk>/", home.person_file, name="aides-personne"),
    path(
        "personnes/<int:pk>/evaluations/nouvelle/",
        evaluations.new_evaluation,
        name="aide-evaluation-nouvelle",
    ),
    path(
        "personnes/<int:pk>/demandes/nouvelle/", requests.new_request, name="aide-demande-nouvelle"
    ),
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="aide-evaluation"),
    path(
        "evaluations/<int:pk>/transmission/",
        evaluations.transmit_evaluation,
        name="aide-transmission",
    ),
    path(
        "evaluations/<int:pk>/transmission.pdf",
        evaluations.transmission_pdf,
        name="aide-transmission-pdf",
    ),
    path("demandes/<int:pk>/", requests.request_detail, name="aide-demande"),
    path("demandes/<int:pk>/pieces/", requests.request_documents, name="aide-pieces"),
    path("demandes/<int:pk>/complete/", requests.declare_complete, name="aide-complete"),
    path("demandes/<int:pk>/avis/", requests.give_opinion, name="aide-avis"),
    path("demandes/<int:pk>/decision/", requests.decide, name="aide-decision"),
    path("demandes/<int:pk>/commission/", requests.send_to_commission, name="aide-vers-commission"),
    path("demandes/<int:pk>/paiement/", requests.record_payment, name="aide-paiement"),
    path(
        "demandes/<int:pk>/echeances/<int:number>/",
        requests.record_repayment,
        name="aide-remboursement",
    ),
    path(
        "demandes/<int:pk>/notification.pdf",
        requests.notification_pdf,
        name="aide-notification-pdf",
    ),
    path("demandes/<int:pk>/notifiee/", requests.mark_notified, name="aide-notifiee"),
    path("demandes/<int:pk>/indus/", requests.record_overpayment, name="aide-indu"),
    path(
        "demandes/<int:pk>/indus/<int:overpayment_pk>/recouvrement/",
        requests.record_recovery,
        name="aide-recouvrement",
    ),
    path("commissions/", commission.sessions, name="aides-commissions"),
    path("commissions/<int:pk>/", commission.session_detail, name="aide-commission"),
    path(
        "commissions/<int:pk>/demandes/<int:request_pk>/",
        commission.session_decide,
        name="aide-commission-decision",
    ),
    path(
        "commissions/<int:pk>/ordre-du-jour/",
        commission.session_agenda_refresh,
        name="aide-commission-odj",
    ),
    path("commissions/<int:pk>/cloture/", commission.session_close, name="aide-commission-cloture"),
    path(
        "commissions/<int:pk>/<slug:document>.pdf",
        commission.session_pdf,
        name="aide-commission-pdf",
    ),
    path("simulateur/", catalogue.simulator, name="aides-simulateur"),
    path("catalogue/", catalogue.catalogue, name="aides-catalogue"),
    path("catalogue/versions/", catalogue.new_regulation, name="aides-reglement-nouveau"),
    path(
        "catalogue/versions/<int:pk>/suivante/",
        catalogue.new_version,
        name="aides-version-suivante",
    ),
    path("catalogue/versions/<int:pk>/aides/", catalogue.new_aid, name="aides-aide-nouvelle"),
    path("catalogue/aides/<int:pk>/", catalogue.edit_aid, name="aides-aide-edition"),
    path("chiffres/", figures.figures, name="aides-chiffres"),
    path("paiements.csv", figures.payments_csv, name="aides-paiements-csv"),
]
