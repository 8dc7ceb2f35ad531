"""The fields of the office forms, their labels, and form values -> service values.

The services take JSON-like values (inventory.services.records.fields); an HTML form
sends strings only, so each field says how its string becomes such a value. Validation
itself stays in the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from inventory.services.errors import ValidationError
from inventory.services.records import KINDS
from inventory.services.records.descriptor import COMMON_LABELS, Field

#: The input of each field type. Reference and choice fields are selects; a record
#: field is a picker ("record:<kind>": inventory/static/office/picker.js searches the
#: kind by name, code or address and keeps the id; without JavaScript the id is typed).
WIDGETS = {
    "text": "text",
    "textarea": "textarea",
    "decimal": "number",
    "integer": "int",
    "date": "date",
    "boolean": "bool",
    "objects": "objects",
}


def widget(f: Field) -> str:
    """The input a form shows for `f` (form.html and _fields.html switch on it)."""
    if f.type == "choice":
        return f"enum:{f.enum.__name__}"
    if f.type == "code":
        return f"code:{f.reference.__name__}"
    if f.type == "record":
        return f"record:{f.record}"
    return WIDGETS[f.type]


def _labels() -> dict[str, Any]:
    """Every field's label by field name (a name means one thing in every kind)."""
    labels: dict[str, Any] = dict(COMMON_LABELS)
    for kind in KINDS.values():
        for f in kind.fields:
            labels.setdefault(f.name, f.label)
    return labels


LABELS = _labels()

#: The import wizard's fields and problem places that are no form field: shown with
#: LABELS in the column mapping and the report, so an officer reads words, not codes.
IMPORT_LABELS = {
    **LABELS,
    **{
        f.import_as: f.import_label or f.label
        for kind in KINDS.values()
        for f in kind.fields
        if f.import_as
    },
    "geometry": _l("Geometry"),
    "file": _l("File"),
    "crs": _l("Coordinate system"),
    "encoding": _l("Text encoding"),
    "lon/lat": _l("Longitude / latitude"),
    "wkt": _l("Geometry (WKT)"),
}


def _values() -> dict[str, dict[Any, Any]]:
    """Words for the codes of choice fields, by field name then code."""
    values: dict[str, dict[Any, Any]] = {}
    for kind in KINDS.values():
        for f in kind.fields:
            values.setdefault(f.name, {}).update(f.values)
    return values


VALUES = _values()


def value_label(field: str, value: Any) -> Any:
    """A code shown in words of the current language; other values as they are."""
    label = VALUES.get(field, {}).get(value)
    return value if label is None else str(label)


def form_fields(kind: str) -> list[Field]:
    """The fields the office form of `kind` shows, in order."""
    return [f for f in KINDS[kind].fields if f.form and f.accepted]


def picked_labels(session: so.Session, actor, data: Mapping[str, Any], fields) -> dict[str, str]:
    """Labels of the records a form's picker fields hold (by field name), so the form
    shows "5-08-01-0001-0002 — ул. Ленина, 2" rather than an id."""
    from inventory.services.records import lookup

    labels = {}
    for name, kind_of in fields:
        if kind_of.startswith("record:") and data.get(name):
            found = lookup.label_of(session, actor, kind_of.split(":", 1)[1], data[name])
            if found:
                labels[name] = found
    return labels


def fields_of(kind: str, creating: bool) -> list[tuple[str, str]]:
    """(field name, input) pairs of the form of `kind`."""
    return [(f.name, widget(f)) for f in form_fields(kind)]


#: Blank rows the objects editor offers for adding parcels or buildings.
BLANK_OBJECT_ROWS = 2


def object_rows(objects: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """A contract's objects as the editor's rows (code or inventory number, area), plus
    blank rows to add more."""
    rows = [
        {
            "ref": o.get("ref") or o.get("ident_code") or o.get("inventory_number") or "",
            "leased_area": "" if o.get("leased_area") is None else o["leased_area"],
        }
        for o in objects or []
    ]
    return rows + [{"ref": "", "leased_area": ""}] * BLANK_OBJECT_ROWS


def submitted_objects(form) -> list[dict[str, str]]:
    """The objects editor's rows as sent (blank rows left out), for showing again."""
    refs, areas = form.getlist("object_ref"), form.getlist("object_area")
    areas += [""] * (len(refs) - len(areas))
    return [
        {"ref": ref.strip(), "leased_area": area.strip()}
        for ref, area in zip(refs, areas, strict=False)
        if ref.strip() or area.strip()
    ]


def parse_objects(form) -> list[dict[str, Any]]:
    """The objects editor's rows as {"ref", "leased_area"}, named by code or inventory
    number (the view has them resolved to ids by the contracts service)."""
    rows = submitted_objects(form)
    for row in rows:
        if not row["ref"]:
            raise ValidationError(
                "a leased area needs the parcel or building it belongs to", field="objects"
            )
        row["leased_area"] = row["leased_area"].replace(" ", "").replace(",", ".") or None
    return rows


def choices(session: so.Session, f: Field, language: str) -> list[tuple[str, str]]:
    """(value, label) pairs of a select: the codes a choice field may be set to, or the
    rows of a reference table with their names in `language`."""
    if f.type == "choice":
        return [(code, f.value_label(code)) for code in f.choices]
    model = f.reference
    return [
        (r.code, r.name(language)) for r in session.scalars(sa.select(model).order_by(model.code))
    ]


def to_data(
    kind: str, form: Mapping[str, str], *, creating: bool, skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Service values from a submitted form of `kind` (with `version` when editing).

    Blank inputs become None, so clearing a field clears it; fields absent from the
    form are left out (unchanged); a number that is not one is a ValidationError.
    """
    data: dict[str, Any] = {}
    for name, kind_of in fields_of(kind, creating):
        if name in skip or (kind_of != "bool" and name not in form):
            continue  # a field the form did not show is left as it is
        raw = (form.get(name) or "").strip()
        if kind_of == "bool":
            data[name] = form.get(name) in ("on", "1", "true", "yes")
        elif kind_of == "int":
            if raw and not raw.isdecimal():
                raise ValidationError("expected a whole number", field=name)
            data[name] = int(raw) if raw else None
        elif kind_of.startswith("record:"):
            if raw and not (raw.isdecimal() and len(raw) < 10):
                raise ValidationError(
                    "type a few letters of its name, code or address and pick it from the list",
                    field=name,
                )
            data[name] = int(raw) if raw else None
        elif kind_of == "number":
            data[name] = raw.replace(" ", "").replace(",", ".") or None
        elif kind_of == "objects":
            data[name] = parse_objects(form)
        elif kind_of.startswith("enum:") and not raw:
            continue  # an empty choice keeps the default (the columns are not nullable)
        else:
            data[name] = raw or None
    if not creating:
        raw = (form.get("version") or "").strip()
        data["version"] = int(raw) if raw.isdecimal() else None
    return data
