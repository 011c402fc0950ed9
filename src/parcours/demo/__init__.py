"""La démonstration : l'organisme de démonstration et son année d'activité (``parcours demo``).

Au-dessus de tous les domaines : elle les importe (modèles, services), aucun ne l'importe.

- ``base`` : l'organisme, ses agents, lieux et secteurs, les personnes, les accompagnements et
  l'agenda (``organisation``, ``people``, ``cases``, ``outreach.appointments``) ;
- puis ``partners`` (l'annuaire), et chacun avec sa graine : ``groups`` (actions
  collectives), puis ``subsidies`` (subventions, qui rattachent deux actions), ``outreach``
  (détection), ``aid`` (aides), ``steering`` (objectifs du pilotage).
"""
