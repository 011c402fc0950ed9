"""``make bench`` : mesures de performance (``architecture.md``), écrites dans docs/benchmarks.md.

Une mesure par module : ``pages`` (recherche et pages sur 1 000 000 de personnes, import de
l'extrait des arrêts, import d'historique et rapport). ``python -m parcours.bench [mesure]``.
"""
