"""Pages qui composent plusieurs domaines (fiche d'une personne, « Mon activité »…).

Couche mince au-dessus des applications métier : elle les importe, aucune ne l'importe.
Chaque page garde son URL et son gabarit ; les droits restent dans les ``policies.py``.
"""
