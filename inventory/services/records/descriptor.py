"""What a kind of record is, field by field: the one description every other part reads.

Each kind's module (parcels.py, contracts.py, ...) lists its fields once, as `Field`s in
the order the office form shows them. From that list come:
- the API's parsing of JSON (`Field.parser()`, the kind's `spec`, `required`, `renamed`)
  and the record's JSON (`plain_json()`);
- the office pages: form inputs (inventory.office.forms), list columns and sorting
  (`listed`, `sort`), extra list filters (`filter`), labels and the words for codes;
- the imports: column names, header synonyms, parsers (inventory.services.imports.kinds);
- the OpenAPI document (inventory.api.openapi).

So adding a field to a kind is one `Field(...)` here plus a migration for its column; the
README's developer section shows it step by step.

Labels are lazy: they become words of the reader's language when shown.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from inventory.services.records import fields as parsers

#: Field types. `text` and `textarea` differ only in the office input; `record` is the id
#: of another record (`Field.record` names its kind: the picker the form offers); `code`
#: a reference table row named by its code (`Field.reference`); `choice` a value of
#: `Field.enum`; `shown` a value the record has but no client writes (measured area, a
#: contract's lessee name); `objects` and `geometry` are handled by the kind itself.
TYPES = (
    "text",
    "textarea",
    "decimal",
    "integer",
    "date",
    "boolean",
    "choice",
    "code",
    "record",
    "objects",
    "geometry",
    "shown",
)

#: Labels of what every record has besides its own fields.
COMMON_LABELS = {
    "id": _l("Id"),
    "municipality": _l("Municipality"),
    "version": _l("Version"),
    "archived_at": _l("Archived"),
    "geometry": _l("Polygon"),
    "object_ref": _l("Parcel code or building number"),
}


@dataclass(frozen=True)
class Field:
    """One field of a kind of record and everything the app does with it.

    `column` is the model attribute when it differs from `name` (a `code` field's foreign
    key, e.g. designated_use -> designated_use_id). `listed` is the field's position among
    the office list's columns (0: not a column); `sort` the SQL expression the list sorts
    by when its header is clicked (None: not sortable); `filter` the query-string name of
    an equality filter of the list (the column's value, e.g. `designated_use_id`).
    `synonyms` are header names an import file may use for it; `import_as` is the
    import's column name when the file names a record by its key instead of its id
    (`lessee_id` -> `lessee_key`), with `import_label` for it; `import_required` differs
    from `required` where a file must say more than the API (an inspection's parcel).
    `fixed` lists choice values only the service itself sets (a superseded contract).
    `shows` is the type of a shown value (text, decimal, integer, point); `computed` marks one
    the kind works out itself (not a model attribute).
    """

    name: str
    label: Any
    type: str = "text"
    required: bool = False
    max_length: int | None = None
    low: int | None = None
    high: int | None = None
    positive: bool = True
    enum: type[enum.Enum] | None = None
    values: Mapping[Any, Any] = field(default_factory=dict)
    fixed: tuple[str, ...] = ()
    reference: type | None = None
    record: str | None = None
    column: str | None = None
    writable: bool = True
    form: bool = True
    listed: int = 0
    sort: Any = None
    filter: str | None = None
    description: str | None = None
    pattern: str | None = None
    synonyms: tuple[str, ...] = ()
    import_as: str | None = None
    import_label: Any = None
    import_required: bool | None = None
    import_parse: Callable[[Any], Any] | None = None
    importable: bool = True
    shows: str = "text"
    computed: bool = False
    public: bool = False

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r}")
        if self.type == "choice" and self.enum is None:
            raise ValueError(f"field {self.name}: a choice needs its enum")

    @property
    def attribute(self) -> str:
        """The model attribute holding the value."""
        return self.column or self.name

    @property
    def accepted(self) -> bool:
        """Clients send this field (in JSON, forms, files)."""
        return self.writable and self.type != "shown"

    @property
    def choices(self) -> list[str]:
        """The codes a client may set (choice fields)."""
        if self.enum is None:
            return []
        return [m.value for m in self.enum if m.value not in self.fixed]

    def parser(self) -> parsers.Parser:
        """How the API turns this field's JSON value into a Python value."""
        t = self.type
        if t in ("text", "textarea"):
            return parsers.text(self.max_length, required=self.required)
        if t == "decimal":
            return parsers.decimal(positive=self.positive, required=self.required)
        if t in ("integer", "record"):
            return parsers.integer(self.low if t == "integer" else 1, self.high)
        if t == "date":
            return parsers.date(required=self.required)
        if t == "boolean":
            return parsers.boolean()
        if t == "choice":
            return parsers.choice(self.enum)
        if t == "code":
            return parsers.code_of(self.reference)
        raise ValueError(f"field {self.name}: a {t} field is parsed by its kind")

    def json_value(self, obj: Any) -> Any:
        """The field's value of `obj` as JSON: dates as ISO text, amounts as numbers,
        choices and reference rows as their codes."""
        if self.type == "code":
            row = getattr(obj, self.name)
            return row.code if row is not None else None
        value = getattr(obj, self.attribute)
        if value is None:
            return None
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if isinstance(value, Decimal):
            return float(value)
        return value

    def value_label(self, value: Any) -> Any:
        """The words for a code of this field (its value as it is when it has none)."""
        label = self.values.get(value)
        return value if label is None else str(label)


def plain_json(fields: tuple[Field, ...], obj: Any) -> dict[str, Any]:
    """The values of the plain fields of `obj` by field name: all but objects, geometry and
    the values the kind computes itself."""
    return {
        f.name: f.json_value(obj)
        for f in fields
        if f.type not in ("objects", "geometry") and not f.computed
    }


def by_name(fields: tuple[Field, ...]) -> dict[str, Field]:
    return {f.name: f for f in fields}
