"""Administration de l'organisme : organisme, lieux d'accueil, secteurs, agents, journal d'audit.

Réservé à l'administrateur de l'organisme (``policies.can_administer``) : pour tout autre agent,
chaque page répond 404, comme un objet hors périmètre ; les objets se lisent par les politiques
(``visible_*``, ``get_*_or_404``) et s'écrivent par ``core.services``. Le journal d'audit se lit
et se filtre seulement. La liste et la création des organismes sont l'affaire de l'opérateur de
la plateforme (superutilisateur Django).

Une page par module : ``access`` (accès, gabarits communs), ``organisation`` (accueil et
organisme), ``sites``, ``sectors``, ``staff`` (agents), ``audit`` (journal), ``platform``
(organismes, opérateur de la plateforme) ; les formulaires sont dans ``core.admin_forms``.
"""
