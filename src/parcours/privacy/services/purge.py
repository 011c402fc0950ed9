"""La purge de conservation d'un organisme (formats.md §8) : ``parcours rgpd purger`` et sa
tâche quotidienne.

Quatre catégories, chacune selon sa durée (``RetentionRules`` de l'organisme, au jour ``as_of``) :

1. le **journal d'audit** plus ancien que sa durée : effacé par le seul chemin permis
   (``core.audit_guard.purge_before``), qui l'écrit au journal ;
2. les **fichiers déposés et documents produits** plus anciens que leur durée : fichiers
   d'extraits des ciblages et leurs listes de rejets (la ligne du ciblage reste, sans son
   fichier ni ses premiers motifs de rejet, qui citent des valeurs du fichier), lots
   d'historique déposés et leurs rejets (fichier et ligne supprimés), extraits pseudonymisés
   lancés du web (le fichier ; la demande reste, sans fichier), lots de courriers PDF des
   campagnes (lignes supprimées : le PDF est en base) ;
3. les **personnes ciblées jamais jointes** (``selection.unreached_targets``) : supprimées, ou
   anonymisées quand une offre sans réponse leur a été envoyée ;
4. les **dossiers clos** (``selection.closed_files``) : anonymisés (``anonymise``).

Un essai (``dry_run``) ne fait que des lectures : il compte ce que ferait la purge réelle. La
purge réelle avance par lots de personnes, chacun dans sa transaction : tuée au milieu, elle ne
laisse aucune fiche à moitié anonymisée ou supprimée, et relancée, elle finit le travail (ce qui
est fait n'est plus sélectionné). Elle s'inscrit au journal des purges (``PurgeRun``) : commencée,
puis terminée avec ses comptes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from parcours.core import audit, audit_guard, bulk, clock, rejections
from parcours.core.models import AuditEntry, Organisation, User
from parcours.outreach.models import LetterBatch, TargetingEntry, TargetingRun
from parcours.people.models import Person
from parcours.privacy.models import ExtractRun, PurgeRun, RetentionRules
from parcours.privacy.queries.register import retention_rules_of
from parcours.privacy.services import anonymise as anonymisation
from parcours.privacy.services import selection
from parcours.privacy.services.cutoffs import Cutoffs, cutoffs
from parcours.rules import wording
from parcours.steering.models import HistoryImport

#: personnes traitées par transaction
BATCH = 50
#: point de coupure des essais de reprise (``core.bulk.crash_point``), au 2e lot d'anonymisation
CRASH_POINT = "purge"


class PurgeError(ValueError):
    """Une purge refusée (date à venir…) : le message, en français, dit pourquoi."""


@dataclass
class Result:
    as_of: datetime.date
    dry_run: bool
    limits: Cutoffs
    rules: RetentionRules
    closed_files: int = 0
    targets_deleted: int = 0
    targets_anonymised: int = 0
    files: int = 0
    audit_entries: int = 0
    details: dict = field(default_factory=dict)

    @property
    def people_anonymised(self) -> int:
        return self.closed_files + self.targets_anonymised

    def as_json(self) -> dict:
        """Exactement les clés de formats.md §8."""
        return {
            "date": self.as_of.isoformat(),
            "essai": self.dry_run,
            "personnes_anonymisees": self.people_anonymised,
            "cibles_supprimees": self.targets_deleted,
            "fichiers_supprimes": self.files,
            "journal_supprime": self.audit_entries,
        }

    def counts(self) -> dict:
        """Ce que garde le journal des purges : les comptes du contrat et leur détail."""
        return self.as_json() | {
            "dossiers_clos_anonymises": self.closed_files,
            "cibles_anonymisees": self.targets_anonymised,
        }


def check_date(as_of: datetime.date) -> None:
    if as_of > clock.today():
        raise PurgeError(
            f"La date {as_of:%d/%m/%Y} est à venir : une purge s'applique au plus tard aujourd'hui."
        )


# --- fichiers -------------------------------------------------------------------------------


def _unlink(path: str | Path, *, dry_run: bool) -> int:
    """1 si le fichier existait (et, hors essai, vient d'être supprimé), sinon 0."""
    if not path:
        return 0
    path = Path(path)
    if not path.exists():
        return 0
    if not dry_run:
        path.unlink(missing_ok=True)
    return 1


def purge_files(organisation: Organisation, cutoff: datetime.date, *, dry_run: bool) -> int:
    """Fichiers déposés et documents produits plus anciens que ``cutoff`` (voir le module).
    Fichier d'abord, ligne ensuite : une coupure entre les deux laisse une ligne sans fichier,
    que la reprise finit."""
    before = selection.start_of(cutoff)
    removed = 0
    runs = TargetingRun.objects.filter(organisation=organisation, created_at__lt=before)
    for pk, path in runs.exclude(file_path="").values_list("pk", "file_path"):
        removed += _unlink(path, dry_run=dry_run)
        removed += _unlink(rejections.path_for("ciblage", pk), dry_run=dry_run)
        if not dry_run:
            TargetingRun.objects.filter(pk=pk).update(file_path="", errors=[])
    imports = HistoryImport.objects.filter(organisation=organisation, created_at__lt=before)
    for pk, path in imports.values_list("pk", "stored_as"):
        removed += _unlink(path, dry_run=dry_run)
        removed += _unlink(rejections.path_for("historique", pk), dry_run=dry_run)
        if not dry_run:
            HistoryImport.objects.filter(pk=pk).delete()
    # Les extraits pseudonymisés lancés du web (var/extraits/) : le fichier part, la demande
    # reste au journal des extraits, sans fichier à télécharger.
    extracts = ExtractRun.objects.filter(organisation=organisation, created_at__lt=before)
    for pk, path in extracts.exclude(stored_as="").values_list("pk", "stored_as"):
        removed += _unlink(path, dry_run=dry_run)
        if not dry_run:
            ExtractRun.objects.filter(pk=pk).update(
                stored_as="", message="Fichier supprimé : durée de conservation échue."
            )
    batches = LetterBatch.objects.filter(organisation=organisation, created_at__lt=before)
    if dry_run:
        removed += batches.count()
    else:
        removed += batches.delete()[1].get(LetterBatch._meta.label, 0)
    return removed


# --- personnes ------------------------------------------------------------------------------


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def delete_targets(organisation: Organisation, ids: list[int], *, actor: User | None) -> int:
    """Supprime les personnes ciblées jamais jointes ``ids`` et leurs entrées de ciblage, par
    lots transactionnels, avec une ligne d'audit chacune (sans identité)."""
    deleted = 0
    for batch in _batches(ids):
        with transaction.atomic():
            people = Person.objects.select_for_update().filter(
                pk__in=batch, organisation=organisation, anonymised_on__isnull=True
            )
            todo = list(people.values_list("pk", flat=True))
            TargetingEntry.objects.filter(person_id__in=todo).delete()
            Person.objects.filter(pk__in=todo).delete()
            for pk in todo:
                audit.record(
                    actor=actor,
                    action=AuditEntry.Action.DELETE,
                    object_type="person",
                    object_id=str(pk),
                    person_id=pk,
                    organisation_id=organisation.pk,
                    summary="Personne ciblée jamais jointe supprimée (durée de conservation échue)",
                )
            deleted += len(todo)
    return deleted


def anonymise_people(
    organisation: Organisation,
    ids: list[int],
    *,
    on: datetime.date,
    actor: User | None,
    crash: bool = False,
) -> int:
    """Anonymise ``ids`` par lots transactionnels ; renvoie le nombre de personnes faites (hors
    doublons fusionnés, anonymisés avec leur fiche)."""
    done = 0
    wanted = set(ids)
    for index, batch in enumerate(_batches(ids)):
        with transaction.atomic():
            made = anonymisation.anonymise(
                organisation_id=organisation.pk, ids=batch, on=on, actor=actor
            )
            if crash and index == 1:
                bulk.crash_point(CRASH_POINT)
        done += len(wanted.intersection(made))
    return done


# --- la purge -------------------------------------------------------------------------------


def purge(
    *,
    organisation: Organisation,
    as_of: datetime.date | None = None,
    dry_run: bool = True,
    actor: User | None = None,
) -> Result:
    """Applique les durées de conservation de ``organisation`` au jour ``as_of`` (aujourd'hui
    par défaut). ``PurgeError`` pour une date à venir."""
    as_of = as_of or clock.today()
    check_date(as_of)
    rules = retention_rules_of(organisation)
    limits = cutoffs(rules, as_of)
    result = Result(as_of=as_of, dry_run=dry_run, limits=limits, rules=rules)
    closed = selection.closed_files(organisation.pk, limits.closed_files)
    targets = selection.unreached_targets(organisation.pk, limits.unreached_targets)
    audit_before = selection.start_of(limits.audit)
    if dry_run:
        result.audit_entries = AuditEntry.objects.filter(
            organisation=organisation, at__lt=audit_before
        ).count()
        result.files = purge_files(organisation, limits.import_files, dry_run=True)
        result.targets_deleted = len(targets.delete)
        result.targets_anonymised = len(targets.anonymise)
        result.closed_files = len(closed)
        return result

    run = PurgeRun.objects.create(
        organisation=organisation, as_of=as_of, dry_run=False, by=actor if actor else None
    )
    result.audit_entries = audit_guard.purge_before(
        organisation_id=organisation.pk, before=audit_before, actor=actor
    )
    result.files = purge_files(organisation, limits.import_files, dry_run=False)
    result.targets_deleted = delete_targets(organisation, targets.delete, actor=actor)
    result.targets_anonymised = anonymise_people(
        organisation, targets.anonymise, on=as_of, actor=actor
    )
    result.closed_files = anonymise_people(organisation, closed, on=as_of, actor=actor, crash=True)
    with transaction.atomic():
        PurgeRun.objects.filter(pk=run.pk).update(counts=result.counts(), finished_at=clock.now())
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=run,
            summary=(
                f"Purge de conservation au {as_of:%d/%m/%Y} : {result.people_anonymised} "
                f"personne(s) anonymisée(s), {result.targets_deleted} cible(s) supprimée(s), "
                f"{result.files} fichier(s), {result.audit_entries} entrée(s) du journal"
            ),
            changes=result.counts(),
        )
    return result


def summary_lines(result: Result) -> list[str]:
    """Le résumé lisible, par catégorie, en français (les nombres accordés)."""
    r = result.rules
    count = wording.count
    # (essai, réel) de chaque nom compté
    nouns = {
        "people": ("une personne à anonymiser|personnes à anonymiser", "une personne anonymisée"),
        "targets": ("une personne à supprimer|personnes à supprimer", "une personne supprimée"),
        "files": ("un fichier à supprimer|fichiers à supprimer", "un fichier supprimé"),
        "audit": ("une entrée à supprimer|entrées à supprimer", "une entrée supprimée"),
    }

    def counted(n: int, what: str) -> str:
        return count(n, nouns[what][0 if result.dry_run else 1])

    head = f"Purge de conservation au {result.as_of:%d/%m/%Y}"
    head += " — essai : rien n'a été modifié." if result.dry_run else " — purge réelle."
    return [
        head,
        f"Dossiers clos depuis plus de {count(r.closed_files_years, 'un an')} "
        f"(dernière clôture avant le {result.limits.closed_files:%d/%m/%Y}) : "
        f"{counted(result.closed_files, 'people')}.",
        f"Personnes ciblées jamais jointes depuis plus de {r.unreached_targets_months} mois "
        f"(ciblées avant le {result.limits.unreached_targets:%d/%m/%Y}) : "
        f"{counted(result.targets_deleted, 'targets')}, "
        f"{counted(result.targets_anonymised, 'people')} "
        "(offre de service restée sans réponse).",
        f"Fichiers déposés et documents produits de plus de {r.import_files_months} mois : "
        f"{counted(result.files, 'files')}.",
        f"Journal d'audit de plus de {count(r.audit_years, 'un an')} "
        f"(avant le {result.limits.audit:%d/%m/%Y}) : {counted(result.audit_entries, 'audit')}.",
        f"En tout : {counted(result.people_anonymised, 'people')}.",
    ]
