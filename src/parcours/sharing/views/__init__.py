"""Pages du partage, une par sous-domaine : ``consents`` (onglet « Partages », consentements)."""
