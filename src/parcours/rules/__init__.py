"""Règles métier pures, sans Django ni I/O."""
