"""Adresse postale : ce qu'il faut pour qu'un courrier parte."""

import re

POSTAL_CODE = re.compile(r"\d{5}")


def is_usable_address(address: str, postal_code: str, commune_name: str) -> bool:
    """Un courrier part si l'adresse a une ligne (numéro et voie, lieu-dit…), un code postal de
    cinq chiffres et une commune ; sinon la personne est à joindre autrement (téléphone, visite)."""
    return (
        bool((address or "").strip())
        and POSTAL_CODE.fullmatch((postal_code or "").strip()) is not None
        and bool((commune_name or "").strip())
    )
