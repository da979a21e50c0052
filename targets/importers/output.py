from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from targets.importers.runs import ImportRun


def report(command, run: ImportRun, *, dry_run: bool) -> None:
    """Print counts and every problem; fail (non-zero exit) when the file was rejected."""
    counts = run.preview["counts"]
    if run.preview.get("sheet"):
        command.stdout.write(
            _("Read from the sheet “%(sheet)s”.") % {"sheet": run.preview["sheet"]}
        )
    if run.preview.get("skipped_sheets"):
        command.stdout.write(
            _("The sheets before it (%(skipped)s) have no header row and were skipped.")
            % {"skipped": "、".join(run.preview["skipped_sheets"])}
        )
    command.stdout.write(
        _("new %(new)s, changed %(changed)s, unchanged %(unchanged)s, errors %(error)s") % counts
    )
    for row in run.preview["rows"]:
        for change in row["changes"]:
            command.stdout.write(
                f"  {row['key']} {change['field']}: {change['old'] or '—'} → {change['new']}"
            )
    for total in run.preview.get("totals", []):
        command.stdout.write(
            _("  %(indicator)s: allocated %(allocated)s of %(target)s (difference %(difference)s)")
            % total
        )
    if not run.ok:
        for problem in run.preview["problems"]:
            command.stderr.write(problem["text"])
        more = run.preview.get("problems_total", 0) - len(run.preview["problems"])
        if more > 0:
            command.stderr.write(_("… and %(n)s more problems.") % {"n": more})
        raise CommandError(_("The file was rejected; nothing was written."))
    if dry_run:
        command.stdout.write(_("Dry run: nothing was written."))
    else:
        command.stdout.write(command.style.SUCCESS(_("Imported.")))
