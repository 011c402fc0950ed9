"""Ce qu'un PDF de Parcours porte pour l'accessibilité (PDF/UA-1), lu dans le fichier rendu."""

import io

from pypdf import PdfReader


def assert_tagged_pdf(content: bytes, lang: str = "fr") -> PdfReader:
    """Arbre de structure, document marqué (« Marked »), langue du document, titre affiché."""
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == lang
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode()
    return reader
