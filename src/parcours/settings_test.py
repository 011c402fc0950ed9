"""Réglages des tests : ``PARCOURS_ENV=test`` puis les réglages communs."""

import os

os.environ.setdefault("PARCOURS_ENV", "test")
os.environ["PARCOURS_ENV"] = "test"

from parcours.settings import *  # noqa: E402,F403
