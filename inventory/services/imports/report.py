"""What an import found and did: counts, and every problem by row and field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from inventory.services.errors import filled, localized


@dataclass(frozen=True)
class Problem:
    """One problem with one value. Row numbers count data rows from 1, as officers see them
    in a spreadsheet below the header (row 1 of the data is line 2 of the file).

    `template` is an English sentence with named parameters, as DomainError's: `message`
    fills it in English (the API, the CLI and logs), `localized()` in the language of the
    page. A message from PostgreSQL comes as it is, without parameters.
    """

    row: int | None
    field: str | None
    template: str
    severity: str = "error"  # "error" blocks the import; "warning" is reported only
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return filled(self.template, self.params)

    def localized(self) -> str:
        """The message in the language of the current request (English outside one); a
        parameter that can say itself in that language (`localized()`) does."""
        params = {
            k: v.localized() if callable(getattr(v, "localized", None)) else v
            for k, v in self.params.items()
        }
        return localized(self.template, params)

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        if self.field:
            where.append(self.field)
        return f"{' / '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    kind: str
    source: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    #: When the rows do not land in the municipality: the coordinate systems that would
    #: put them there, each {"epsg", "name", "inside": rows}, the most first.
    crs_candidates: list[dict] = field(default_factory=list)
    #: Ids of the rows the import created or changed, by table (from the upserts'
    #: RETURNING), to re-check their anomaly flags at once.
    written: dict[str, list[int]] = field(default_factory=dict)
    #: Anomaly flags the re-check after the import opened and resolved.
    flags_opened: int = 0
    flags_resolved: int = 0
    #: Fields the file's own headers name (by name or synonym, no mapping given): where
    #: an officer's "—" refused a column, not merely found none (wizard.remember).
    named: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def in_row_order(self) -> list[Problem]:
        """The problems as a person reads them: the whole file's first, then row by row
        (each check appends its own, so a later check's row 4 came after row 7)."""
        return sorted(self.problems, key=lambda p: (p.row is not None, p.row or 0))

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "source": self.source,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "crs_candidates": self.crs_candidates,
            "flags_opened": self.flags_opened,
            "flags_resolved": self.flags_resolved,
            "problems": [
                {"row": p.row, "field": p.field, "message": p.message, "severity": p.severity}
                for p in self.problems
            ],
        }

    def summary(self) -> str:
        verb = "would create" if self.dry_run else "created"
        text = (
            f"{self.kind} from {self.source}: {self.rows} rows, {verb} {self.created}, "
            f"updated {self.updated}, unchanged {self.unchanged}"
        )
        if self.flags_opened or self.flags_resolved:
            text += f"; flags opened {self.flags_opened}, resolved {self.flags_resolved}"
        if self.errors:
            text += f"; {len(self.errors)} errors, nothing written"
        if self.warnings:
            text += f"; {len(self.warnings)} warnings"
        return text


class ImportFailed(Exception):
    """Raised when an import has errors; nothing was written. Carries the full report."""

    def __init__(self, report: ImportReport):
        super().__init__(report.summary() + "\n" + "\n".join(str(p) for p in report.errors[:50]))
        self.report = report
