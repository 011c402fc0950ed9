"""La taille maximale d'un fichier envoyé : coupée pendant la réception, rien n'est gardé."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from parcours.core.uploads import LimitedFileField, TooLargeFile, too_large_message


@pytest.fixture
def one_mb(settings):
    settings.PARCOURS_UPLOAD_MAX_MB = 1


def received(size):
    request = RequestFactory().post(
        "/", {"fichier": SimpleUploadedFile("f.csv", b"a" * size), "note": "gardée"}
    )
    return request.FILES["fichier"], request.POST["note"]


def test_a_file_over_the_limit_arrives_empty_and_marked(one_mb):
    uploaded, note = received(1_048_577)
    assert isinstance(uploaded, TooLargeFile)
    assert uploaded.size > 1_048_576 and uploaded.read() == b""
    assert note == "gardée"


def test_a_file_at_the_limit_arrives_whole(one_mb):
    uploaded, _ = received(1_048_576)
    assert not isinstance(uploaded, TooLargeFile)
    assert uploaded.read() == b"a" * 1_048_576


def test_a_request_far_over_the_limit_keeps_nothing_from_the_first_byte(one_mb):
    uploaded, note = received(5 * 1_048_576)
    assert isinstance(uploaded, TooLargeFile) and note == "gardée"


def test_the_field_names_the_limit(one_mb):
    field = LimitedFileField(label="Fichier", help_text="CSV.")
    assert field.help_text == "CSV. Taille maximale : 1 Mo."
    assert too_large_message() == "Le fichier dépasse la taille maximale de 1 Mo."
    with pytest.raises(Exception, match="taille maximale de 1 Mo"):
        field.clean(SimpleUploadedFile("f.csv", b"a" * 1_048_577))
    assert field.clean(SimpleUploadedFile("f.csv", b"abc")).name == "f.csv"


def test_every_file_field_of_the_project_has_the_size_limit():
    """Un seul mécanisme pour tout envoi : aucun champ fichier hors ``LimitedFileField``."""
    import importlib
    import inspect
    import pkgutil

    from django import forms

    import parcours

    fields = []
    for module_info in pkgutil.walk_packages(parcours.__path__, "parcours."):
        name = module_info.name
        if ".migrations" in name or ".bench" in name or name.endswith((".cli", ".wsgi")):
            continue
        if "forms" not in name.rsplit(".", 1)[-1]:
            continue
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                for field_name, field in cls.base_fields.items():
                    if isinstance(field, forms.FileField):
                        fields.append((name, cls.__name__, field_name, type(field)))
    assert fields, "aucun champ fichier trouvé : le test ne voit plus les formulaires"
    assert [f for f in fields if not issubclass(f[3], LimitedFileField)] == []
