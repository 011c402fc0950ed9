class ConflictError(Exception):
    """Enregistrement refusé : quelqu'un a modifié l'objet depuis son affichage.

    ``current`` porte la version enregistrée, pour la montrer à côté de la saisie refusée.
    """

    def __init__(self, current):
        super().__init__("Modification concurrente")
        self.current = current


class BusinessError(Exception):
    """Une règle métier refuse l'opération ; ``errors`` : champ → message (français)."""

    def __init__(self, errors: dict[str, str] | str):
        if isinstance(errors, str):
            errors = {"__all__": errors}
        super().__init__("; ".join(errors.values()))
        self.errors = errors
