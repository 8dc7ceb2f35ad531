"""Imports on behalf of a person: permissions, hostile-file checks, remembered mappings.

The import wizard (/office/import), `POST /api/v1/imports` and `inventory import` all
call `import_for`; the wizard also calls `inspect` to show the columns it found and the
mapping it proposes before the dry run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import ImportMapping, Municipality
from inventory.services import audit
from inventory.services.errors import ValidationError
from inventory.services.imports import KINDS, run_import
from inventory.services.imports.base import map_columns
from inventory.services.imports.reading import read_table
from inventory.services.imports.report import ImportReport
from inventory.services.imports.safety import check_file
from inventory.services.imports.value_names import check_values, value_fields
from inventory.services.imports.values import is_blank
from inventory.services.permissions import Actor, require_write
from inventory.services.reference_names import Names, Option, normal

#: Kinds officers import; municipalities, zones and rates belong to administrators.
OFFICE_KINDS = (
    "parcels",
    "buildings",
    "lessees",
    "contracts",
    "payments",
    "statements",
    "inspections",
)


@dataclass
class Inspection:
    """What the wizard shows after the upload: the file's columns and a first mapping."""

    columns: list[str]
    rows: int
    sample: list[dict[str, Any]]
    fields: list[dict[str, Any]]
    mapping: dict[str, str]
    missing: list[str]
    source_crs: str | None
    notes: list[str] = field(default_factory=list)
    #: For each mapped column of reference values: its distinct values (ValueRow).
    values: dict[str, list[ValueRow]] = field(default_factory=dict)
    #: The codes each such field may take, with their names, for the pickers.
    options: dict[str, list[Option]] = field(default_factory=dict)


@dataclass
class ValueRow:
    """A distinct value of a column (as most rows write it), how many rows hold it, and
    the code proposed for it (None: no name or synonym says it); `chosen` when the code
    is the office's own earlier choice."""

    value: str
    rows: int
    code: str | None
    chosen: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "rows": self.rows, "code": self.code}


def municipality_for(session: so.Session, actor: Actor, slug: str | None) -> Municipality:
    """The municipality an import writes into: the officer's own, or the one named by an
    administrator; refused for auditors and for officers naming another city."""
    if slug:
        found = session.scalar(sa.select(Municipality).where(Municipality.slug == slug))
        if found is None:
            raise ValidationError("no municipality '%(slug)s'", field="municipality", slug=slug)
    elif actor.municipality_id is not None:
        found = session.get(Municipality, actor.municipality_id)
    else:
        raise ValidationError("required: which municipality?", field="municipality")
    require_write(actor, found.id)
    return found


def _check_kind(kind: str) -> None:
    if kind not in OFFICE_KINDS:
        raise ValidationError(
            "unknown kind '%(kind)s'; one of %(kinds)s",
            field="kind",
            kind=kind,
            kinds=", ".join(OFFICE_KINDS),
        )


def remembered(session: so.Session, municipality_id: int, kind: str) -> dict[str, str]:
    """The mapping this municipality last used for this kind, or {}."""
    found = session.scalar(
        sa.select(ImportMapping.columns).where(
            ImportMapping.municipality_id == municipality_id, ImportMapping.kind == kind
        )
    )
    return dict(found or {})


def remembered_values(session: so.Session, municipality_id: int, kind: str) -> dict:
    """The codes this municipality chose for values of this kind's files, {field: {value:
    code}}, or {}."""
    found = session.scalar(
        sa.select(ImportMapping.value_codes).where(
            ImportMapping.municipality_id == municipality_id, ImportMapping.kind == kind
        )
    )
    return {name: dict(chosen) for name, chosen in (found or {}).items()}


def remember(
    session: so.Session,
    municipality_id: int,
    kind: str,
    columns: dict[str, str] | None,
    values: dict[str, dict[str, str]] | None = None,
    named: set[str] | None = None,
) -> None:
    """Keep the mapping for the next import of this kind into this municipality: the
    columns as given, the value codes added to those chosen before.

    A "—" ("") is kept only for a field in `named`, the fields this file's headers name:
    there the officer refused a column the names would take, and the next file with
    that column must not take it either. Elsewhere "—" only says this file had no
    column for the field; kept, it would stop a later file's column from being matched
    by the names (a register whose header the names learned since)."""
    row = session.scalar(
        sa.select(ImportMapping).where(
            ImportMapping.municipality_id == municipality_id, ImportMapping.kind == kind
        )
    )
    if row is None:
        row = ImportMapping(municipality_id=municipality_id, kind=kind, columns={})
        session.add(row)
    if columns:
        row.columns = {
            name: header
            for name, header in columns.items()
            if header != "" or named is None or name in named
        }
    if values:
        merged = {name: dict(chosen) for name, chosen in (row.value_codes or {}).items()}
        for name, chosen in values.items():
            merged.setdefault(name, {}).update(chosen)
        row.value_codes = merged
    session.flush()


def propose_values(
    session: so.Session,
    kind: str,
    records: list[dict],
    mapping: dict[str, str],
    chosen: dict[str, dict[str, str]] | None = None,
) -> tuple[dict[str, list[ValueRow]], dict[str, list[Option]]]:
    """Each mapped column of reference values: its distinct values (compared as names
    are: case, punctuation and ё/е aside) with their row counts and proposed codes, the
    unknown first; and the options of each such field."""
    handler = KINDS[kind]
    names = Names(session)
    own = check_values(session, handler, chosen)
    proposals: dict[str, list[ValueRow]] = {}
    options: dict[str, list[Option]] = {}
    for name, described in value_fields(handler).items():
        header = mapping.get(name)
        if not header:
            continue
        spellings: dict[str, Counter] = {}
        for record in records:
            raw = record.get(header)
            if is_blank(raw):
                continue
            spellings.setdefault(normal(raw), Counter())[str(raw).strip()] += 1
        rows = []
        for form, written in spellings.items():
            mine = own.get(name, {}).get(form)
            code = mine or names.resolve(described, form)
            rows.append(
                ValueRow(written.most_common(1)[0][0], sum(written.values()), code, bool(mine))
            )
        rows.sort(key=lambda r: (r.code is not None, -r.rows, r.value))
        proposals[name] = rows
        options[name] = names.options(described)
    return proposals, options


def inspect(
    session: so.Session,
    actor: Actor,
    kind: str,
    path: Path,
    *,
    municipality: str | None = None,
    crs: int | str | None = None,
    encoding: str | None = None,
    max_bytes: int | None = None,
    columns: dict[str, str] | None = None,
    values: dict[str, dict[str, str]] | None = None,
) -> Inspection:
    """Read the file (checked first) and propose a mapping: `columns` or the remembered
    one, then synonyms; and for each column of reference values, its values with the
    codes proposed for them (`values`, the remembered choices, then names)."""
    _check_kind(kind)
    place = municipality_for(session, actor, municipality)
    check_file(path, max_bytes)
    table = read_table(path, crs=crs, encoding=encoding)
    handler = KINDS[kind]
    if columns is None:
        columns = remembered(session, place.id, kind)
    mapping, missing = map_columns(handler, table.columns, columns, dbf=table.dbf)
    chosen = remembered_values(session, place.id, kind)
    for name, codes in (values or {}).items():
        chosen.setdefault(name, {}).update(codes)
    proposals, options = propose_values(session, kind, table.records, mapping, chosen)
    fields = [
        {"name": f.name, "required": f.required} for f in handler.fields if f.name != "municipality"
    ]
    return Inspection(
        columns=table.columns,
        rows=len(table.records),
        sample=table.records[:5],
        fields=fields,
        mapping=mapping,
        missing=missing,
        source_crs=table.source_crs,
        notes=table.notes,
        values=proposals,
        options=options,
    )


def import_for(
    session: so.Session,
    actor: Actor,
    kind: str,
    path: Path,
    *,
    municipality: str | None = None,
    crs: int | str | None = None,
    encoding: str | None = None,
    columns: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    dry_run: bool = False,
    max_bytes: int | None = None,
    settings: dict[str, Any] | None = None,
) -> ImportReport:
    """Run an import as `actor` into one municipality; all or nothing, like run_import.
    `settings` (the app's) re-check what the import wrote, as run_import's.

    `values` ({field: {value: code}}) adds to the codes the municipality chose before.
    A successful real run remembers the column mapping and the value codes for the
    municipality. The caller commits.
    """
    _check_kind(kind)
    place = municipality_for(session, actor, municipality)
    check_file(path, max_bytes)
    audit.set_actor(session, actor.user_id, "import")
    if columns is None:
        columns = remembered(session, place.id, kind) or None
    chosen = remembered_values(session, place.id, kind)
    for name, codes in (values or {}).items():
        chosen.setdefault(name, {}).update(codes)
    report = run_import(
        session,
        kind,
        path,
        municipality=place.slug,
        dry_run=dry_run,
        crs=crs,
        encoding=encoding,
        columns=columns,
        defaults=defaults,
        values=chosen,
        settings=settings,
    )
    if report.ok and not dry_run and (columns or values):
        remember(session, place.id, kind, columns, values, named=report.named)
    return report


def parse_crs(value: str | int | None) -> int | None:
    """A CRS chosen by the user: an EPSG code of KNOWN_CRS ('7693', 'EPSG:7693') or None."""
    from inventory.services.geometry import KNOWN_CRS

    if value in (None, ""):
        return None
    raw = str(value).strip().upper().removeprefix("EPSG:")
    if not raw.isdecimal() or int(raw) not in KNOWN_CRS:
        raise ValidationError(
            "choose one of %(choices)s",
            field="crs",
            choices=", ".join(f"EPSG:{code} {name}" for code, name in KNOWN_CRS.items()),
        )
    return int(raw)


def parse_encoding(value: str | None) -> str | None:
    """A DBF/CSV encoding chosen by the user, checked against the ones offices use."""
    if value in (None, ""):
        return None
    allowed = {"utf-8": "UTF-8", "cp1251": "CP1251", "cp866": "CP866", "koi8-r": "KOI8-R"}
    found = allowed.get(str(value).strip().lower())
    if found is None:
        raise ValidationError(
            "choose one of %(choices)s", field="encoding", choices=", ".join(allowed)
        )
    return found


def parse_value_pairs(values: list[str] | tuple[str, ...] | None) -> dict | None:
    """`FIELD:VALUE=CODE` given on a command line (`--values "status:занят=leased"`) as
    {field: {value: code}}; None when none was given."""
    if not values:
        return None
    chosen: dict[str, dict[str, str]] = {}
    for item in values:
        name, colon, rest = str(item).partition(":")
        value, equals, code = rest.rpartition("=")
        if not colon or not equals or not name.strip() or not value.strip():
            raise ValidationError(
                "expected FIELD:VALUE=CODE, got '%(item)s'", field="values", item=item
            )
        chosen.setdefault(name.strip(), {})[value.strip()] = code.strip()
    return chosen


def parse_pairs(values: list[str] | tuple[str, ...] | None, field: str) -> dict[str, str] | None:
    """`FIELD=VALUE` pairs given on a command line (`--columns ident_code="Кад_номер"`,
    `--default basis=decision`) as a dict; None when none was given."""
    if not values:
        return None
    pairs: dict[str, str] = {}
    for item in values:
        name, sep, value = str(item).partition("=")
        if not sep or not name.strip():
            raise ValidationError("expected FIELD=VALUE, got '%(item)s'", field=field, item=item)
        pairs[name.strip()] = value.strip()
    return pairs
