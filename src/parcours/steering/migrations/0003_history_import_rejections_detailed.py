import re

from django.db import migrations

FIELDS = ("fichier", "ligne", "colonne", "motif")
PHRASE = re.compile(
    r"^(?P<fichier>[^,:]+?)(?:, ligne (?P<ligne>\d+))?(?:, colonne (?P<colonne>[^:]+?))? : "
    r"(?P<motif>.*)$",
    re.S,
)


def split(text):
    """« fichier, ligne N, colonne C : motif » (l'ancien rapport) en ses quatre parties."""
    match = PHRASE.match(str(text))
    if match is None:
        return {"fichier": "", "ligne": None, "colonne": "", "motif": str(text)}
    line = match["ligne"]
    return {
        "fichier": match["fichier"],
        "ligne": int(line) if line else None,
        "colonne": match["colonne"] or "",
        "motif": match["motif"],
    }


def detail_rejections(apps, schema_editor):
    """Les imports déjà faits : chaque rejet gardé devient fichier, ligne, colonne, motif, et le
    rapport reçoit son résumé par motif (le nombre total, déjà compté, ne change pas)."""
    from parcours.core import rejections

    HistoryImport = apps.get_model("steering", "HistoryImport")
    for pk in list(HistoryImport.objects.values_list("pk", flat=True)):
        job = HistoryImport.objects.only("pk", "result").get(pk=pk)
        result = dict(job.result or {})
        errors = result.get("erreurs") or []
        if not errors or "erreurs_par_motif" in result:
            continue
        records = [e if isinstance(e, dict) else split(e) for e in errors]
        collector = rejections.Rejections(FIELDS)
        collector.extend(records)
        result["erreurs"] = collector.first
        result["nombre_erreurs"] = max(int(result.get("nombre_erreurs") or 0), collector.count)
        result["erreurs_par_motif"] = collector.summary()
        HistoryImport.objects.filter(pk=pk).update(result=result)


class Migration(migrations.Migration):
    dependencies = [("steering", "0002_external_ref_kinds")]

    operations = [migrations.RunPython(detail_rejections, migrations.RunPython.noop)]
