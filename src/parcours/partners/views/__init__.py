"""Pages des partenaires.

- ``directory`` — l'annuaire : liste, fiche, formulaires de partenaire, contact, convention ;
- ``subsidies`` — les subventions : appels à projets, candidatures, années accordées,
  versements, bilans annuels, export d'une année ;
- ``common`` — ce qu'elles partagent.
"""
