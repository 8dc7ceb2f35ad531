"""The import pipeline shared by every kind of record.

read file -> map columns -> parse values -> check keys -> resolve references -> write.
Writing happens inside a savepoint: an import with any error writes nothing, and a dry
run does the real writes and rolls them back, so its counts are exact. A kind with
`chunk_rows` (parcels) goes from parsing to writing a chunk at a time, the next chunk
parsed while the last is written (imports.chunks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.errors import ValidationError
from inventory.services.imports.report import ImportReport, Problem
from inventory.services.imports.value_names import REFERENCE_FIELDS, value_fields
from inventory.services.imports.values import BadValue, fit_check, is_blank, text
from inventory.services.reference_names import Names, normal


@dataclass(frozen=True)
class Field:
    """A column of an import: its canonical name, parser, and header synonyms."""

    name: str
    parse: Callable[[Any], Any] = text
    required: bool = False
    synonyms: tuple[str, ...] = ()


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    geometry: Any = None
    ids: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


@dataclass
class Context:
    """What a kind needs while importing: the session, the municipality the import is
    bound to (an officer imports into their own), and the report to add problems to."""

    session: so.Session
    report: ImportReport
    municipality_slug: str | None = None
    #: The officer's own codes for values of the file: {field: {normal form: code}}
    #: (check_values), asked before the names and synonyms.
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Keep identification codes off the municipality's pattern, as warnings, instead of
    #: refusing the file: only for the demo's planted register errors (load_demo).
    keep_malformed_codes: bool = False
    _municipalities: dict[str, int] | None = None
    _names: Names | None = None
    #: What `memo` read once for this import: {key: value}.
    _memo: dict[str, Any] = field(default_factory=dict)
    #: value_code's answers for this import: a file repeats a few values (statuses,
    #: categories, uses) in every row, each normalised and looked up once.
    _codes: dict[tuple, Any] = field(default_factory=dict)

    @property
    def names(self) -> Names:
        if self._names is None:
            self._names = Names(self.session)
        return self._names

    def value_code(self, field_name: str, described: Any, value: Any) -> Any:
        """The code a file's value stands for: the officer's choice for it, else the
        code its name or synonym gives, else the value as it is (for the parser's or
        lookup's own error)."""
        key = (field_name, id(described), type(value), value)
        if key not in self._codes:
            chosen = self.values.get(field_name, {}).get(normal(value))
            if chosen is None:
                chosen = self.names.code_or_value(described, value)
            self._codes[key] = chosen
        return self._codes[key]

    def problem(
        self,
        row: int | None,
        field_name: str | None,
        message: str,
        severity: str = "error",
        **params: Any,
    ) -> None:
        """Report a problem: `message` is a literal English template (pybabel extracts
        it as the third argument of `problem`), filled from `params`."""
        self.report.problems.append(Problem(row, field_name, message, severity, params))

    def memo(self, key: str, load: Callable[[so.Session], Any]) -> Any:
        """`load(session)`, read on the first call for `key` and kept for the rest of the
        import (reference tables, which an import does not change)."""
        if key not in self._memo:
            self._memo[key] = load(self.session)
        return self._memo[key]

    @property
    def municipalities(self) -> dict[str, int]:
        if self._municipalities is None:
            self._municipalities = dict(
                self.session.execute(sa.text("SELECT slug, id FROM municipality")).all()
            )
        return self._municipalities

    def municipality_id(self, row: Row) -> int | None:
        """The row's municipality id; a bound import refuses rows of another one."""
        slug = row["municipality"] or self.municipality_slug
        if slug is None:
            self.problem(row.number, "municipality", "missing: which municipality?")
            return None
        if self.municipality_slug and slug != self.municipality_slug:
            self.problem(
                row.number,
                "municipality",
                "'%(slug)s' is not the municipality of this import ('%(bound)s')",
                slug=slug,
                bound=self.municipality_slug,
            )
            return None
        found = self.municipalities.get(slug)
        if found is None:
            self.problem(row.number, "municipality", "unknown municipality '%(value)s'", value=slug)
        return found

    def lookup(self, row: Row, field_name: str, mapping: dict, unknown: str) -> Any:
        """mapping[row[field]] or None with the problem `unknown`, a template naming the
        value as %(value)s."""
        value = row[field_name]
        if value is None:
            return None
        found = mapping.get(value)
        if found is None and field_name in REFERENCE_FIELDS:
            found = mapping.get(self.value_code(field_name, REFERENCE_FIELDS[field_name], value))
        if found is None:
            self.problem(row.number, field_name, unknown, value=value)
        return found


class Kind:
    """One kind of record that can be imported. Subclasses set the class attributes and
    implement `resolve` (references to ids) and `write` (set-based upsert)."""

    name: str = ""
    #: The model whose table the rows fill: a field named as one of its columns (or
    #: renamed to one in `columns`) must fit that column (values.fit_check).
    model: Any = None
    columns: dict[str, str] = {}
    fields: Sequence[Field] = ()
    geometry: str | None = None  # "polygon", "point" or None
    geometry_required: bool = False
    key: Sequence[str] = ()  # natural key within a municipality, for duplicate checks
    #: Rows checked and written at a time (imports.chunks), the next chunk checked while
    #: the last is written; None: the whole file is checked before anything is written
    #: (a kind whose rows refer to rows later in the same file, or whose write needs
    #: them all).
    chunk_rows: int | None = None

    def fit_checks(self) -> dict[str, Callable[[Any], None]]:
        """For each field that fills a column with a limit, the check that a value fits
        it (values.fit_check)."""
        if self.model is None:
            return {}
        table = self.model.__table__
        checks = {
            f.name: fit_check(table.c[column].type)
            for f in self.fields
            if (column := self.columns.get(f.name, f.name)) in table.c
        }
        return {name: check for name, check in checks.items() if check is not None}

    def preload(self, ctx: Context) -> None:
        """Read what `prepare` needs from the database, before any row is written."""

    def prepare(self, ctx: Context, rows: list[Row]) -> None:
        """The checks of `rows` that need no database beyond what `preload` read: run
        while the chunk before is written (imports.chunks), so they must not use the
        session. `resolve` follows, with the session free."""

    def resolve(self, ctx: Context, rows: list[Row]) -> None:
        raise NotImplementedError

    def write(self, ctx: Context, rows: list[Row]) -> tuple[int, int, int]:
        """Write the rows; return (created, updated, unchanged)."""
        raise NotImplementedError


def map_columns(
    kind: Kind,
    columns: Iterable[str],
    explicit: dict[str, str] | None = None,
    *,
    dbf: bool = False,
) -> tuple[dict[str, str], list[str]]:
    """Match file headers to the kind's fields: explicit mapping, then names and synonyms
    (case and spaces ignored). An explicit "" leaves the field without a column (an
    officer chose "—"); an explicit header the file lacks (a mapping remembered from an
    older file) falls back to the names. Headers of a DBF (`dbf`) may be names cut to 10
    bytes. Returns ({field: header}, [missing required
    fields])."""
    explicit = explicit or {}
    normal = {_normal(c): c for c in columns}
    mapping: dict[str, str] = {}
    unmapped = {name for name, header in explicit.items() if header == ""}
    for f in kind.fields:
        if f.name in unmapped:
            continue
        if f.name in explicit and explicit[f.name] in columns:
            mapping[f.name] = explicit[f.name]
            continue
        for candidate in (f.name, *f.synonyms):
            header = normal.get(_normal(candidate))
            if header is not None:
                mapping[f.name] = header
                break
    if dbf:
        _map_truncated(kind, columns, mapping, unmapped)
    missing = [f.name for f in kind.fields if f.required and f.name not in mapping]
    return mapping, missing


#: DBF field names hold at most 10 bytes, so a Shapefile's "Идентификационный код"
#: arrives as "Идентифика". Shorter cut headers would be too ambiguous to guess.
DBF_NAME_LENGTH, MIN_CUT_LENGTH = 10, 5


def _map_truncated(
    kind: Kind, columns: Iterable[str], mapping: dict[str, str], unmapped: set[str]
) -> None:
    """Map still unmapped fields to headers a DBF cut short: the header is the start of
    exactly one name or synonym of the field, and of no other unmapped field's."""
    used = set(mapping.values())
    cut = [
        c
        for c in columns
        if c not in used and MIN_CUT_LENGTH <= len(str(c).strip()) <= DBF_NAME_LENGTH
    ]
    for header in cut:
        start = _normal(header)
        fields = [
            f
            for f in kind.fields
            if f.name not in mapping
            and f.name not in unmapped
            and any(
                _normal(name).startswith(start) and _normal(name) != start
                for name in (f.name, *f.synonyms)
            )
        ]
        if len(fields) == 1:
            mapping[fields[0].name] = header


def _normal(header: str) -> str:
    """A header as it is compared: lower case, ё as е, punctuation and underscores as
    spaces ("Кад_номер", "Кад. номер" and "кад номер" are one name)."""
    text = str(header).lower().replace("ё", "е")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def check_defaults(kind: Kind, defaults: dict[str, str] | None) -> dict[str, str]:
    """The defaults given for a whole file, each naming a field of `kind`."""
    names = {f.name for f in kind.fields}
    for name in defaults or {}:
        if name not in names:
            raise ValidationError(
                "no field '%(name)s' in %(kind)s; fields are %(fields)s",
                field="defaults",
                name=name,
                kind=kind.name,
                fields=", ".join(sorted(names)),
            )
    return dict(defaults or {})


def parse_rows(
    ctx: Context,
    kind: Kind,
    records: list[dict],
    mapping: dict[str, str],
    geometries: list | None,
    defaults: dict[str, str] | None = None,
    start: int = 0,
    stop: int | None = None,
) -> list[Row]:
    """Each record's values parsed field by field, of records[start:stop] (the whole
    file by default; row numbers count from the file's first record); a value that does
    not parse is a problem of its row and field. An empty cell takes the field's default,
    if given."""
    rows: list[Row] = []
    fits = kind.fit_checks()
    defaults = defaults or {}
    named = value_fields(kind)
    # What each field needs, worked out once for the whole file.
    plan = [
        (
            f.name,
            mapping.get(f.name),
            f.parse,
            f.required,
            defaults.get(f.name),
            named.get(f.name),
            fits.get(f.name),
        )
        for f in kind.fields
    ]
    for number in range(start + 1, (len(records) if stop is None else stop) + 1):
        record = records[number - 1]
        values: dict[str, Any] = {}
        for name, header, parse, required, default, described, fit in plan:
            raw = record.get(header) if header is not None else None
            blank = is_blank(raw)
            if blank and default is not None:
                raw = default
                blank = is_blank(raw)
            if blank:
                if required:
                    ctx.problem(number, name, "missing")
                values[name] = None
                continue
            if described is not None and isinstance(raw, str):
                raw = ctx.value_code(name, described, raw)
            try:
                values[name] = parse(raw)
                if fit is not None:
                    fit(values[name])
            except ValueError as exc:
                template, params = BadValue.parts(exc)
                ctx.problem(number, name, template, **params)
                values[name] = None
        geom = geometries[number - 1] if geometries is not None else None
        rows.append(Row(number=number, values=values, geometry=geom))
    return rows


def check_duplicate_keys(
    ctx: Context, kind: Kind, rows: list[Row], seen: dict[tuple, int] | None = None
) -> None:
    """Report each row whose natural key an earlier row has; `seen` ({key: first row
    number}) carries the keys of a file's earlier chunks and is filled with these."""
    if not kind.key:
        return
    seen = {} if seen is None else seen
    for row in rows:
        key = (row["municipality"] or ctx.municipality_slug, *(row[k] for k in kind.key))
        if any(v is None for v in key[1:]):
            continue
        if key in seen:
            ctx.problem(
                row.number,
                kind.key[-1],
                "'%(value)s' appears again (first in row %(first)s)",
                value=key[-1],
                first=seen[key],
            )
        else:
            seen[key] = row.number
