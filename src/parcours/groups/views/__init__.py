"""Pages des actions collectives (agents) et pages publiques du lien personnel.

- ``actions`` — liste, création, modification, fiche d'une action ;
- ``sessions`` — séances, inscriptions, présences, émargement ;
- ``invitations`` — courriers d'invitation et de relance (la page « Invitations », qui compose
  la Détection, est dans ``parcours.www.invitations``) ;
- ``questionnaires`` — questionnaires, saisie du papier, résultats ;
- ``public`` — pages du lien personnel, sans connexion ;
- ``common`` — ce qu'elles partagent.
"""
