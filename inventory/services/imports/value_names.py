"""Which import fields hold reference values, and an officer's own codes for them.

A field holds reference values when its descriptor field is a code (a reference table
row: land use, land category) or a choice (statuses, kinds, periods); the file's values
of such a field are read through inventory.services.reference_names.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy.orm as so

from inventory.services import records
from inventory.services.errors import ValidationError
from inventory.services.reference_names import Names, domain_of, normal

#: Every descriptor field naming a reference table row, by name (designated_use,
#: land_category, ...): a kind's own import field of that name means the same table.
REFERENCE_FIELDS: dict[str, Any] = {
    f.name: f for kind in records.KINDS.values() for f in kind.fields if f.type == "code"
}


def value_fields(kind: Any) -> dict[str, Any]:
    """The import fields of `kind` whose values are reference values (a code or a
    choice), with the descriptor field that names their domain."""
    names = {f.name for f in kind.fields}
    found: dict[str, Any] = {
        name: REFERENCE_FIELDS[name] for name in names & REFERENCE_FIELDS.keys()
    }
    described = records.KINDS.get(kind.name)
    for f in described.fields if described is not None else ():
        name = f.import_as or f.name
        if name in names and domain_of(f) is not None:
            found[name] = f
    return found


def check_values(
    session: so.Session, kind: Any, values: dict[str, dict[str, str]] | None
) -> dict[str, dict[str, str]]:
    """An officer's value mapping ({field: {value: code or name}}) checked against the
    kind's fields and each field's values, as {field: {normal form: code}}."""
    fields = value_fields(kind)
    names = Names(session)
    checked: dict[str, dict[str, str]] = {}
    for name, chosen in (values or {}).items():
        if name not in fields:
            raise ValidationError(
                "no field of reference values '%(name)s' in %(kind)s; fields are %(fields)s",
                field="values",
                name=name,
                kind=kind.name,
                fields=", ".join(sorted(fields)),
            )
        for value, target in chosen.items():
            code = names.resolve(fields[name], target)
            if code is None:
                raise ValidationError(
                    "%(name)s: '%(code)s' is no value of this field; one of %(codes)s",
                    field="values",
                    name=name,
                    code=target,
                    codes=", ".join(o.code for o in names.options(fields[name])),
                )
            checked.setdefault(name, {})[normal(value)] = code
    return checked
