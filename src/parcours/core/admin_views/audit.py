"""Journal d'audit de l'organisme : lecture et filtres seulement."""

import datetime
import json
from zoneinfo import ZoneInfo

from django.core.exceptions import FieldDoesNotExist
from django.views.decorators.http import require_safe

from parcours.core import audit, policies
from parcours.core.admin_forms import AuditFilterForm
from parcours.core.admin_views.access import admin_view, crumbs, render_page
from parcours.core.pagination import paginate

PARIS = ZoneInfo("Europe/Paris")
AUDIT_PAGE_SIZE = 50

#: Entrées du journal liées à une personne : on montre quels champs ont changé, pas les valeurs
#: (l'administrateur ne voit pas le contenu des dossiers ; cf. ``core.policies``).
MASK_PERSON_VALUES = True

EXTRA_FIELD_LABELS = {
    "id": "identifiant",
    "mot_de_passe": "mot de passe",
    "name": "nom",
    "confirmed": "confirmé",
    "appareils_remplaces": "appareils remplacés",
}


def _field(model, name):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if hasattr(field, "verbose_name") else None


def _value(field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


#: Les critères d'un export ou d'une liste consultée (``audit.record_export``), en clair.
CRITERIA_LABELS = {
    "annee": "année",
    "etat": "état",
    "programme": "programme",
    "referent": "référent",
    "chiffre": "chiffre",
    "agent": "agent",
    "semaine": "semaine du",
    "inactifs": "sans activité depuis 4 mois :",
}
READS_IN_BULK = {"EXPORT", "LIST"}


def _criteria(entry) -> str:
    """« année 2026 ; état OUVERT » : les critères d'une lecture en nombre, vides omis."""
    criteria = (entry.changes or {}).get("criteres") or {}
    if not isinstance(criteria, dict):
        return ""
    return " ; ".join(
        f"{CRITERIA_LABELS.get(key, key)} {_value(None, value)}"
        for key, value in criteria.items()
        if value not in (None, "", [])
    )


def _change_rows(entry) -> list[dict]:
    model = audit.audited_models().get(entry.object_type)
    masked = MASK_PERSON_VALUES and entry.person_id is not None
    rows = []
    for name, change in (entry.changes or {}).items():
        field = _field(model, name)
        label = str(field.verbose_name) if field else EXTRA_FIELD_LABELS.get(name, name)
        if not isinstance(change, dict):
            change = {"avant": None, "apres": change}
        rows.append(
            {
                "label": label[:1].upper() + label[1:],
                "before": "" if masked else _value(field, change.get("avant")),
                "after": "" if masked else _value(field, change.get("apres")),
            }
        )
    return rows


def _paris_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)


@admin_view
@require_safe
def audit_log(request, organisation):
    form = AuditFilterForm(request.GET or None, staff=policies.visible_staff(request.user))
    entries = policies.visible_audit(request.user)
    filters = {}
    if form.is_bound:
        form.is_valid()  # les filtres valides s'appliquent, les autres sont signalés
        filters = form.cleaned_data
    if filters.get("actor"):
        entries = entries.filter(actor=filters["actor"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("object_type"):
        entries = entries.filter(object_type=filters["object_type"])
    if filters.get("person_id"):
        entries = entries.filter(person_id=filters["person_id"])
    if filters.get("start"):
        entries = entries.filter(at__gte=_paris_midnight(filters["start"]))
    if filters.get("end") and "end" not in form.errors:
        entries = entries.filter(
            at__lt=_paris_midnight(filters["end"] + datetime.timedelta(days=1))
        )
    page, query = paginate(
        request, entries.select_related("actor").order_by("-at", "-id"), AUDIT_PAGE_SIZE
    )
    object_types = audit.object_type_labels()
    rows = [
        {
            "entry": entry,
            "object_label": object_types.get(entry.object_type, entry.object_type),
            "changes": [] if entry.action in READS_IN_BULK else _change_rows(entry),
            "criteria": _criteria(entry) if entry.action in READS_IN_BULK else "",
            "masked": MASK_PERSON_VALUES and entry.person_id is not None,
        }
        for entry in page
    ]
    return render_page(
        request,
        "journal.html",
        title="Journal d'audit",
        crumbs=crumbs(),
        form=form,
        page=page,
        rows=rows,
        query=query,
    )
