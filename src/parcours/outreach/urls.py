from django.urls import path

from parcours.outreach import views
from parcours.outreach import views_detection as detection

urlpatterns = [
    path("personnes/<int:pk>/demandes/nouvelle/", views.new_request, name="demande-nouvelle"),
    path(
        "personnes/<int:pk>/rendez-vous/nouveau/", views.new_appointment, name="rendez-vous-nouveau"
    ),
    path("rendez-vous/<int:pk>/etat/", views.appointment_status, name="rendez-vous-etat"),
]

urlpatterns += [
    path("detection/", detection.home, name="detection"),
    path("detection/ciblages/", detection.targeting_list, name="ciblages"),
    path("detection/ciblages/regle/", detection.targeting_rule, name="ciblage-regle"),
    path("detection/ciblages/<int:pk>/", detection.targeting_detail, name="ciblage"),
    path(
        "detection/ciblages/<int:pk>/avancement/",
        detection.targeting_progress,
        name="ciblage-avancement",
    ),
    path("detection/ciblages/<int:pk>/lancer/", detection.targeting_launch, name="ciblage-lancer"),
    path("detection/signalements/", detection.referral_list, name="signalements"),
    path("detection/signalements/nouveau/", detection.referral_new, name="signalement-nouveau"),
    path("detection/signalements/<int:pk>/", detection.referral_detail, name="signalement"),
    path(
        "detection/signalements/<int:pk>/etat/", detection.referral_status, name="signalement-etat"
    ),
    path(
        "detection/signalements/<int:pk>/reponse.pdf",
        detection.referral_letter,
        name="signalement-reponse",
    ),
    path(
        "detection/signalements/<int:pk>/reponse-envoyee/",
        detection.referral_answered,
        name="signalement-repondu",
    ),
    path("detection/accueil/", detection.front_line_list, name="accueil-contacts"),
    path("detection/accueil/nouveau/", detection.front_line_new, name="accueil-contact-nouveau"),
    path("detection/campagnes/", detection.campaign_list, name="campagnes"),
    path("detection/campagnes/nouvelle/", detection.campaign_new, name="campagne-nouvelle"),
    path("detection/campagnes/<int:pk>/", detection.campaign_detail, name="campagne"),
    path(
        "detection/campagnes/<int:pk>/courriers.pdf",
        detection.campaign_letters,
        name="campagne-courriers",
    ),
    path(
        "detection/campagnes/<int:pk>/relance/", detection.campaign_remind, name="campagne-relance"
    ),
    path("detection/offres/<int:pk>/", detection.offer_update, name="offre-etat"),
    path("detection/agenda/", detection.agenda, name="agenda"),
    path("personnes/<int:pk>/premier-creneau/", detection.first_slot, name="premier-creneau"),
    path(
        "rendez-vous/<int:pk>/a-eu-lieu/", detection.appointment_done, name="rendez-vous-a-eu-lieu"
    ),
]
