"""The words people read for the codes the data keeps, in one language.

Records, flags' evidence and exports keep codes (`osh`, `industry`, `free`, `misuse`):
they are stable and what the API and files exchange. Wherever a person reads one, it is
shown by its name: reference tables (land uses, land categories, municipalities) carry
ky/ru/en names; choices carry the labels of their record descriptor
(inventory.services.records.<kind>); rules, flag statuses and severities theirs.

`CodeNames(session, language)` loads the reference tables once and answers
`name(field, code)`; a field says which domain its codes belong to (`designated_use`,
`observed_use` and `contracted_use` are land uses, `land_category` a land category, ...).
An unknown code is returned as it is: a code of an older version is better than nothing.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from babel.support import Translations
from flask_babel import lazy_gettext as _l

from inventory.models import LandCategory, LandUse, Municipality
from inventory.services.reference_names import _translations

#: Reference domains by the field (or evidence key) that holds their codes.
REFERENCE_FIELDS = {
    "municipality": "municipality",
    "designated_use": "land_use",
    "observed_use": "land_use",
    "contracted_use": "land_use",
    "use": "land_use",
    "land_category": "land_category",
}
_MODELS = {"land_use": LandUse, "land_category": LandCategory, "municipality": Municipality}

#: Evidence keys holding a choice of a record field: (kind, field).
CHOICE_ALIASES = {
    "parcel_status": ("parcels", "status"),
    "contract_status": ("contracts", "status"),
    "rent_period": ("contracts", "rent_period"),
    "lessee_kind": ("lessees", "kind"),
}


#: Codes of flag evidence that are no record field: what a lease is on, and the kinds of
#: protected layers.
EVIDENCE_CHOICES = {
    "object_kind": {"parcel": _l("parcel"), "building": _l("building")},
    "protected_kind": {
        "green_zone": _l("green zone"),
        "water_protection": _l("water protection strip"),
        "red_line": _l("red line"),
    },
}


def _choices() -> dict[tuple[str | None, str], dict[Any, Any]]:
    """{(kind, field): {code: lazy label}} of every choice field, plus (None, field) with
    the labels of all kinds merged (for a field named alike in several kinds)."""
    from inventory.services.records import KINDS

    found: dict[tuple[str | None, str], dict[Any, Any]] = {}
    for kind_name, kind in KINDS.items():
        for f in kind.fields:
            if f.values:
                found[(kind_name, f.name)] = dict(f.values)
                found.setdefault((None, f.name), {}).update(f.values)
    for alias, key in CHOICE_ALIASES.items():
        found[(None, alias)] = found.get(key, {})
    for name, labels in EVIDENCE_CHOICES.items():
        found[(None, name)] = labels
    return found


def _message(label: Any) -> str:
    """The message id of a lazy label (its English text)."""
    args = getattr(label, "_args", None)
    return str(args[0]) if args else str(label)


class CodeNames:
    """Names of codes in `language`, for one session (reference rows read once)."""

    def __init__(self, session: so.Session | None, language: str) -> None:
        self.session = session
        self.language = language
        self._references: dict[str, dict[str, str]] = {}
        self._translations: Translations = _translations(language)
        self._choice_labels = _choices()

    def reference(self, domain: str) -> dict[str, str]:
        """{code: name} of a reference table ("land_use", "land_category",
        "municipality")."""
        if domain not in self._references:
            model = _MODELS[domain]
            key = model.slug if model is Municipality else model.code
            column = getattr(model, f"name_{self.language}", model.name_ru)
            rows = (
                self.session.execute(sa.select(key, column, model.name_ru)).all()
                if self.session is not None
                else []
            )
            self._references[domain] = {code: name or ru for code, name, ru in rows}
        return self._references[domain]

    def municipality(self, municipality_id: int) -> str | int:
        """A municipality's name by its id (the id itself when there is none)."""
        if self.session is None:
            return municipality_id
        row = self.session.get(Municipality, municipality_id)
        return row.name(self.language) if row is not None else municipality_id

    def translate(self, label: Any) -> str:
        return self._translations.gettext(_message(label))

    def name(self, field: str, code: Any, kind: str | None = None) -> Any:
        """The name of `code` of `field` (of record kind `kind` when given), or the code."""
        if code is None or isinstance(code, dict | list):
            return code
        domain = REFERENCE_FIELDS.get(field)
        if domain is not None and isinstance(code, str):
            return self.reference(domain).get(code, code)
        labels = self._choice_labels.get((kind, field)) or self._choice_labels.get((None, field))
        if labels and code in labels:
            return self.translate(labels[code])
        return code

    def is_coded(self, field: str) -> bool:
        """Whether `field` holds codes that have names."""
        return field in REFERENCE_FIELDS or (None, field) in self._choice_labels

    def rule(self, code: str) -> str:
        from inventory.services.anomalies.rules import RULES

        found = RULES.get(code)
        return self.translate(found.label) if found is not None else code
