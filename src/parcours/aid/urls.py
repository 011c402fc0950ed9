from django.urls import path

from parcours.aid import views

urlpatterns = [
    path("", views.home, name="aides"),
    path("personnes/<int:pk>/", views.person_file, name="aides-personne"),
    path(
        "personnes/<int:pk>/evaluations/nouvelle/",
        views.new_evaluation,
        name="aide-evaluation-nouvelle",
    ),
    path("personnes/<int:pk>/demandes/nouvelle/", views.new_request, name="aide-demande-nouvelle"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="aide-evaluation"),
    path("evaluations/<int:pk>/transmission/", views.transmit_evaluation, name="aide-transmission"),
    path(
        "evaluations/<int:pk>/transmission.pdf",
        views.transmission_pdf,
        name="aide-transmission-pdf",
    ),
    path("demandes/<int:pk>/", views.request_detail, name="aide-demande"),
    path("demandes/<int:pk>/pieces/", views.request_documents, name="aide-pieces"),
    path("demandes/<int:pk>/complete/", views.declare_complete, name="aide-complete"),
    path("demandes/<int:pk>/avis/", views.give_opinion, name="aide-avis"),
    path("demandes/<int:pk>/decision/", views.decide, name="aide-decision"),
    path("demandes/<int:pk>/commission/", views.send_to_commission, name="aide-vers-commission"),
    path("demandes/<int:pk>/paiement/", views.record_payment, name="aide-paiement"),
    path(
        "demandes/<int:pk>/echeances/<int:number>/",
        views.record_repayment,
        name="aide-remboursement",
    ),
    path(
        "demandes/<int:pk>/notification.pdf", views.notification_pdf, name="aide-notification-pdf"
    ),
    path("demandes/<int:pk>/notifiee/", views.mark_notified, name="aide-notifiee"),
    path("demandes/<int:pk>/indus/", views.record_overpayment, name="aide-indu"),
    path(
        "demandes/<int:pk>/indus/<int:overpayment_pk>/recouvrement/",
        views.record_recovery,
        name="aide-recouvrement",
    ),
    path("commissions/", views.sessions, name="aides-commissions"),
    path("commissions/<int:pk>/", views.session_detail, name="aide-commission"),
    path(
        "commissions/<int:pk>/demandes/<int:request_pk>/",
        views.session_decide,
        name="aide-commission-decision",
    ),
    path(
        "commissions/<int:pk>/ordre-du-jour/",
        views.session_agenda_refresh,
        name="aide-commission-odj",
    ),
    path("commissions/<int:pk>/cloture/", views.session_close, name="aide-commission-cloture"),
    path("commissions/<int:pk>/<slug:document>.pdf", views.session_pdf, name="aide-commission-pdf"),
    path("simulateur/", views.simulator, name="aides-simulateur"),
    path("catalogue/", views.catalogue, name="aides-catalogue"),
    path("catalogue/versions/", views.new_regulation, name="aides-reglement-nouveau"),
    path("catalogue/versions/<int:pk>/suivante/", views.new_version, name="aides-version-suivante"),
    path("catalogue/versions/<int:pk>/suivante/", views.new_version, name="aides-version-suivante"),
    path("catalogue/versions/<int:pk>/aides/", views.new_aid, name="aides-aide-nouvelle"),
    path("catalogue/aides/<int:pk>/", views.edit_aid, name="aides-aide-edition"),
    path("chiffres/", views.figures, name="aides-chiffres"),
    path("paiements.csv", views.payments_csv, name="aides-paiements-csv"),
]
