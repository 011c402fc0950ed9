"""Lectures de la protection des données ; ``purge_panel`` : le panneau des purges."""

from parcours.privacy.queries.purge import purge_panel

__all__ = ["purge_panel"]
