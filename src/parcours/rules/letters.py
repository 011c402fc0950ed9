"""Lots de courriers : à partir de combien un lot se prépare en tâche de fond."""

#: À partir de ce nombre de courriers, le PDF est produit en tâche de fond (``make bench`` :
#: de l'ordre de 0,1 à 0,2 s par courrier : 200 courriers approchent déjà 30 s).
BACKGROUND_FROM = 200


def in_background(count: int, limit: int = BACKGROUND_FROM) -> bool:
    """Le lot de ``count`` courriers se prépare en tâche de fond (sinon, PDF à la demande)."""
    return count >= limit
