"""Vues de la détection, une par sous-domaine : ``home`` (accueil de la détection),
``requests`` (demandes et rendez-vous depuis la fiche d'une personne), ``targeting``,
``referrals``, ``front_line``, ``campaigns``, ``agenda``. Les droits sont dans
``outreach.policies``, les lectures dans ``outreach.queries``, les écritures dans les services."""
