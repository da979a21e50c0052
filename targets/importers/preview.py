"""Comparing a parsed sheet with what is stored: every row new / changed (old → new) / unchanged /
error. The same comparison drives the preview and the commit, so the commit writes exactly what
the preview showed."""

from dataclasses import dataclass, field

from django.conf import settings

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
STATUSES = (NEW, CHANGED, UNCHANGED, ERROR)


@dataclass(slots=True)  # one per task of a sheet that may hold 25,000
class RowPreview:
    row: int
    key: str
    label: str
    status: str
    changes: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self):
        return {
            "row": self.row,
            "key": self.key,
            "label": self.label,
            "status": self.status,
            "changes": self.changes,
            "errors": self.errors,
        }


def changes_between(old: dict, new: dict, labels: dict) -> list[dict]:
    """Field-by-field differences; a blank cell in the sheet keeps what is stored."""
    return [
        {"field": labels[key], "old": old.get(key, ""), "new": value}
        for key, value in new.items()
        if value not in ("", None) and str(old.get(key, "")) != str(value)
    ]


def summarise(rows: list[RowPreview], problems: list, extra: dict | None = None) -> dict:
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    # The first problems are listed; the rest only counted (a sheet of errors stays small).
    listed = problems[: settings.JITUAN_IMPORT_MAX_PROBLEMS]
    return {
        "counts": counts,
        "problems": [problem.as_dict() for problem in listed],
        "problems_total": len(problems),
        "rows": [row.as_dict() for row in rows],
        **(extra or {}),
    }
