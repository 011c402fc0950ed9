"""Fichiers envoyés : une seule taille maximale pour tout envoi, vérifiée avant tout enregistrement.

La limite est le réglage ``PARCOURS_UPLOAD_MAX_MB`` (Mo de 1 048 576 octets, 50 par défaut).
Trois pièces, une seule règle :

- :class:`SizeLimitUploadHandler`, premier gestionnaire de réception de Django
  (``FILE_UPLOAD_HANDLERS``) : il compte les octets de chaque fichier pendant la réception et,
  dès que la limite est franchie (ou d'emblée si la requête entière la dépasse), ne transmet plus
  rien aux gestionnaires suivants — rien ne s'écrit sur disque ni ne s'accumule en mémoire ; le
  fichier arrive au formulaire sous la forme d'un :class:`TooLargeFile` vide ;
- :class:`LimitedFileField`, le champ de formulaire de tout envoi : un fichier trop gros y
  devient l'erreur « Le fichier dépasse la taille maximale de 50 Mo. », affichée à côté du champ,
  les autres champs gardant ce qui a été saisi ;
- :class:`BodySizeLimitMiddleware` : une requête sans fichier dont le corps dépasse
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` reçoit une page 413 en français (au lieu d'une 400 anglaise).
"""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render

MEGABYTE = 1_048_576


def max_megabytes() -> int:
    return int(settings.PARCOURS_UPLOAD_MAX_MB)


def max_bytes() -> int:
    return max_megabytes() * MEGABYTE


def too_large_message() -> str:
    return f"Le fichier dépasse la taille maximale de {max_megabytes()} Mo."


def limit_hint() -> str:
    return f"Taille maximale : {max_megabytes()} Mo."


#: une archive .zip décompressée ne dépasse pas ce multiple de la limite (bombe de décompression)
UNPACKED_FACTOR = 10


def check_unpacked_size(archive) -> None:
    """``ValidationError`` si l'archive .zip ``archive`` décompressée dépasse
    ``UNPACKED_FACTOR`` fois la limite (ses fichiers sont lus en mémoire à l'import)."""
    import zipfile

    limit = UNPACKED_FACTOR * max_megabytes()
    with zipfile.ZipFile(archive) as opened:
        total = sum(info.file_size for info in opened.infolist())
    archive.seek(0)
    if total > limit * MEGABYTE:
        raise forms.ValidationError(
            f"Une fois décompressée, l'archive dépasse {limit} Mo : découpez le lot.",
            code="too_large_unpacked",
        )


class TooLargeFile(UploadedFile):
    """Ce qui reste d'un fichier refusé pendant la réception : son nom et sa taille, pas son
    contenu (rien n'a été gardé)."""

    too_large = True

    def __init__(self, name: str, size: int, content_type: str | None = None):
        super().__init__(io.BytesIO(), name, content_type, size)


class SizeLimitUploadHandler(FileUploadHandler):
    """Coupe la réception d'un fichier dès qu'il dépasse la limite (voir le module)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # La requête entière est plus grosse que la limite (et que la marge des autres champs) :
        # tout fichier qu'elle porte sera refusé, autant ne rien en garder dès le premier octet.
        self.request_too_large = content_length > max_bytes() + settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = getattr(self, "request_too_large", False)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_bytes():
            self.too_large = True
        return None if self.too_large else raw_data

    def file_complete(self, file_size):
        if self.too_large:
            return TooLargeFile(self.file_name or "", max(self.received, 1), self.content_type)
        return None


class LimitedFileField(forms.FileField):
    """Le champ de tout fichier envoyé : refuse, avec un message qui nomme la limite, un fichier
    plus gros que ``PARCOURS_UPLOAD_MAX_MB``."""

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, help_text=help_text, **kwargs)
        self.base_help_text = help_text

    @property
    def help_text(self) -> str:
        # La limite est lue à l'affichage : elle suit le réglage (et les tests qui le changent).
        base = self.base_help_text
        if base and not base.endswith((".", "!", "?")):
            base += "."
        return " ".join(t for t in (base, limit_hint()) if t)

    @help_text.setter
    def help_text(self, value: str) -> None:
        self.base_help_text = value

    def to_python(self, data):
        if data and (getattr(data, "too_large", False) or (data.size or 0) > max_bytes()):
            raise forms.ValidationError(too_large_message(), code="too_large")
        return super().to_python(data)


class BodySizeLimitMiddleware:
    """Une requête trop volumineuse hors fichiers (voir le module) reçoit une page 413."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"POST", "PUT", "PATCH"}:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                if request.content_type != "multipart/form-data":
                    return self.refuse(request)
                try:  # les champs hors fichiers d'un formulaire dépassent la marge
                    request.POST  # noqa: B018
                except RequestDataTooBig:
                    return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request):
        return render(
            request,
            "erreurs/413.html",
            {"message": "L'envoi dépasse la taille acceptée par Parcours."},
            status=413,
        )
