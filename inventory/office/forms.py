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

from inventory.models import (
    BuildingKind,
    ContractBasis,
    ContractStatus,
    LandCategory,
    LandUse,
    LesseeKind,
    ParcelStatus,
    RentPeriod,
)
from inventory.services.errors import ValidationError
from webmap.labels import STATUS_LABELS as PARCEL_STATUS_LABELS

LABELS = {
    "ident_code": _l("Identification code"),
    "address": _l("Address"),
    "land_category": _l("Land category"),
    "designated_use": _l("Designated use"),
    "status": _l("Status"),
    "documented_area": _l("Documented area, m²"),
    "measured_area": _l("Measured area (Kyrg-06), m²"),
    "note": _l("Note"),
    "inventory_number": _l("Inventory number"),
    "parcel_id": _l("Parcel"),
    "parent_id": _l("Part of building"),
    "kind": _l("Kind"),
    "name": _l("Name"),
    "floor_area": _l("Floor area, m²"),
    "floors": _l("Floors"),
    "year_built": _l("Year built"),
    "inn": _l("INN (14 digits)"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "document": _l("Identity document"),
    "external_key": _l("Register key"),
    "number": _l("Contract number"),
    "signed_on": _l("Signed on"),
    "lessee_id": _l("Lessee"),
    "lessee": _l("Lessee"),
    "start_date": _l("Start"),
    "end_date": _l("End"),
    "contracted_use": _l("Contracted use"),
    "rent_amount": _l("Rent, som"),
    "rent_period": _l("Rent period"),
    "leased_area": _l("Leased area, m²"),
    "basis": _l("Basis"),
    "basis_ref": _l("Basis reference (decision №)"),
    "terminated_on": _l("Terminated on"),
    "contract_id": _l("Contract"),
    "paid_on": _l("Paid on"),
    "amount": _l("Amount, som"),
    "reference": _l("Reference"),
    "building_id": _l("Building"),
    "inspected_on": _l("Inspected on"),
    "inspector": _l("Inspector"),
    "observed_use": _l("Observed use"),
    "occupied": _l("Occupied"),
    "version": _l("Version"),
    "geometry": _l("Polygon"),
    "objects": _l(
        "Leased objects: parcel identification code or building inventory "
        "number, and the area leased"
    ),
    "municipality": _l("Municipality"),
    "archived_at": _l("Archived"),
    "object_ref": _l("Parcel code or building number"),
}

#: The import wizard's fields and problem places that are no form field: shown with
#: LABELS in the column mapping and the report, so an officer reads words, not codes.
IMPORT_LABELS = {
    **LABELS,
    "key": LABELS["external_key"],
    "lessee_key": _l("Lessee's register key"),
    "parcel_ident_code": _l("Parcel identification code"),
    "parent_inventory_number": _l("Inventory number of the building it is part of"),
    "contract_number": LABELS["number"],
    "previous_number": _l("Previous contract number"),
    "relation": _l("Relation to the previous contract"),
    "geometry": _l("Geometry"),
    "file": _l("File"),
    "crs": _l("Coordinate system"),
    "encoding": _l("Text encoding"),
    "lon/lat": _l("Longitude / latitude"),
    "wkt": _l("Geometry (WKT)"),
}

#: Words for the codes of enum fields, by field name then code.
VALUES = {
    "status": {
        **PARCEL_STATUS_LABELS,
        "draft": _l("Draft"),
        "active": _l("Active"),
        "expired": _l("Expired"),
        "terminated": _l("Terminated"),
        "superseded": _l("Superseded"),
    },
    "kind": {
        "legal_entity": _l("Legal entity"),
        "individual": _l("Private individual"),
        "building": _l("Building"),
        "premise": _l("Premise"),
    },
    "basis": {"auction": _l("E-auction (resolution №142)"), "decision": _l("Direct decision")},
    "rent_period": {"year": _l("per year"), "month": _l("per month")},
    "occupied": {True: _l("yes"), False: _l("no")},
}


def value_label(field: str, value: Any) -> Any:
    """A code shown in words of the current language; other values as they are."""
    label = VALUES.get(field, {}).get(value)
    return value if label is None else str(label)


#: Per kind: (field, input type, choices source). Types: text, textarea, number, int,
#: date, bool, enum:<Enum>, code:<model>.
ENUMS = {
    "ParcelStatus": ParcelStatus,
    "BuildingKind": BuildingKind,
    "LesseeKind": LesseeKind,
    "ContractStatus": ContractStatus,
    "ContractBasis": ContractBasis,
    "RentPeriod": RentPeriod,
}
FORMS: dict[str, list[tuple[str, str]]] = {
    "parcels": [
        ("ident_code", "text"),
        ("address", "text"),
        ("land_category", "code:LandCategory"),
        ("designated_use", "code:LandUse"),
        ("status", "enum:ParcelStatus"),
        ("documented_area", "number"),
        ("note", "textarea"),
    ],
    "buildings": [
        ("inventory_number", "text"),
        ("parcel_id", "int"),
        ("kind", "enum:BuildingKind"),
        ("name", "text"),
        ("address", "text"),
        ("floor_area", "number"),
        ("floors", "int"),
        ("year_built", "int"),
    ],
    "lessees": [
        ("kind", "enum:LesseeKind"),
        ("name", "text"),
        ("inn", "text"),
        ("external_key", "text"),
        ("phone", "text"),
        ("email", "text"),
        ("address", "text"),
        ("document", "text"),
    ],
    "contracts": [
        ("number", "text"),
        ("signed_on", "date"),
        ("lessee_id", "int"),
        ("start_date", "date"),
        ("end_date", "date"),
        ("contracted_use", "code:LandUse"),
        ("rent_amount", "number"),
        ("rent_period", "enum:RentPeriod"),
        ("leased_area", "number"),
        ("basis", "enum:ContractBasis"),
        ("basis_ref", "text"),
        ("status", "enum:ContractStatus"),
        ("terminated_on", "date"),
        ("note", "textarea"),
        ("objects", "objects"),
    ],
    "payments": [
        ("contract_id", "int"),
        ("paid_on", "date"),
        ("amount", "number"),
        ("reference", "text"),
    ],
    "inspections": [
        ("parcel_id", "int"),
        ("building_id", "int"),
        ("inspected_on", "date"),
        ("inspector", "text"),
        ("observed_use", "code:LandUse"),
        ("occupied", "bool"),
        ("note", "textarea"),
    ],
}

#: Blank rows the objects editor offers for adding parcels or buildings.
BLANK_OBJECT_ROWS = 2


def fields_of(kind: str, creating: bool) -> list[tuple[str, str]]:
    return FORMS[kind]


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


def choices(session: so.Session, kind: str, language: str) -> list[tuple[str, str]]:
    """(value, label) pairs of a select: enum values, or reference codes with names."""
    if kind.startswith("enum:"):
        field = {
            "ParcelStatus": "status",
            "ContractStatus": "status",
            "BuildingKind": "kind",
            "LesseeKind": "kind",
            "ContractBasis": "basis",
            "RentPeriod": "rent_period",
        }[kind[5:]]
        return [(m.value, value_label(field, m.value)) for m in ENUMS[kind[5:]]]
    model = {"LandCategory": LandCategory, "LandUse": LandUse}[kind[5:]]
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
            if raw and not raw.isdigit():
                raise ValidationError("expected a whole number", field=name)
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
        data["version"] = int(raw) if raw.isdigit() else None
    return data
