"""Les URL des pages composées, chacune à son chemin d'origine."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
