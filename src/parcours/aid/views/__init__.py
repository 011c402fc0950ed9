"""Pages des aides : évaluations, demandes, décisions, commission, catalogue, simulateur.

Un module par page : ``home`` (accueil des aides, dossier d'une personne), ``evaluations``,
``requests`` (demandes), ``commission``, ``catalogue`` (simulateur et catalogue), ``figures``
(chiffres) ; ``common`` réunit le gabarit et l'accès aux dossiers.
"""
