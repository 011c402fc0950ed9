from django.urls import path

from parcours.outreach.views import (
    agenda,
    campaigns,
    front_line,
    home,
    referrals,
    requests,
    targeting,
)

urlpatterns = [
    path("personnes/<int:pk>/demandes/nouvelle/", requests.new_request, name="demande-nouvelle"),
    path(
        "personnes/<int:pk>/rendez-vous/nouveau/",
        requests.new_appointment,
        name="rendez-vous-nouveau",
    ),
    path("rendez-vous/<int:pk>/etat/", requests.appointment_status, name="rendez-vous-etat"),
]

urlpatterns += [
    path("detection/", home.home, name="detection"),
    path("detection/ciblages/", targeting.targeting_list, name="ciblages"),
    path("detection/ciblages/regle/", targeting.targeting_rule, name="ciblage-regle"),
    path(
        "detection/ciblages/regle/<str:code>/", targeting.targeting_rule, name="ciblage-regle-code"
    ),
    path("detection/ciblages/<int:pk>/", targeting.targeting_detail, name="ciblage"),
    path(
        "detection/ciblages/<int:pk>/avancement/",
        targeting.targeting_progress,
        name="ciblage-avancement",
    ),
    path("detection/ciblages/<int:pk>/lancer/", targeting.targeting_launch, name="ciblage-lancer"),
    path(
        "detection/ciblages/<int:pk>/rejets.csv",
        targeting.targeting_rejections,
        name="ciblage-rejets",
    ),
    path("detection/signalements/", referrals.referral_list, name="signalements"),
    path("detection/signalements/nouveau/", referrals.referral_new, name="signalement-nouveau"),
    path("detection/signalements/<int:pk>/", referrals.referral_detail, name="signalement"),
    path(
        "detection/signalements/<int:pk>/etat/", referrals.referral_status, name="signalement-etat"
    ),
    path(
        "detection/signalements/<int:pk>/reponse.pdf",
        referrals.referral_letter,
        name="signalement-reponse",
    ),
    path(
        "detection/signalements/<int:pk>/reponse-envoyee/",
        referrals.referral_answered,
        name="signalement-repondu",
    ),
    path("detection/accueil/", front_line.front_line_list, name="accueil-contacts"),
    path("detection/accueil/nouveau/", front_line.front_line_new, name="accueil-contact-nouveau"),
    path("detection/campagnes/", campaigns.campaign_list, name="campagnes"),
    path("detection/campagnes/nouvelle/", campaigns.campaign_new, name="campagne-nouvelle"),
    path("detection/campagnes/<int:pk>/", campaigns.campaign_detail, name="campagne"),
    path(
        "detection/campagnes/<int:pk>/courriers.pdf",
        campaigns.campaign_letters,
        name="campagne-courriers",
    ),
    path(
        "detection/campagnes/<int:pk>/preparer-courriers/",
        campaigns.campaign_prepare_letters,
        name="campagne-preparer-courriers",
    ),
    path(
        "detection/campagnes/<int:pk>/relance/", campaigns.campaign_remind, name="campagne-relance"
    ),
    path("detection/offres/<int:pk>/", campaigns.offer_update, name="offre-etat"),
    path("detection/agenda/", agenda.agenda, name="agenda"),
    path("personnes/<int:pk>/premier-creneau/", agenda.first_slot, name="premier-creneau"),
    path("rendez-vous/<int:pk>/a-eu-lieu/", agenda.appointment_done, name="rendez-vous-a-eu-lieu"),
]
