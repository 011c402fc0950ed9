"""Écritures du partage, une par sous-domaine : ``consents`` (consentements, partages faits)."""
