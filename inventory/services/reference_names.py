"""Reference values as offices write them: one resolver from text to code.

A value of a domain (the land uses, the land categories, each choice of the record
descriptors: parcel statuses, lessee kinds, ...) is known by its code, its ky/ru/en names
(the reference table's name columns, or the descriptor's label in each catalogue) and
the synonyms an administrator keeps in `reference_synonym` ("ИЖС", "свободен", "ОсОО").
Case, punctuation, quotes, ё/е and extra spaces never matter (`normal`).

Imports, the API's filters and writes all ask `Names.resolve`; a domain is named after
the field's enum or reference table, so every field of one enum shares its synonyms.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from babel.support import Translations

from inventory.models import ReferenceSynonym
from inventory.services.errors import ValidationError

LANGUAGES = ("ky", "ru", "en")
_CATALOGUES = Path(__file__).resolve().parents[1] / "translations"


def normal(value: Any) -> str:
    """A value as it is compared: lower case, ё as е, quotes and punctuation as spaces,
    spaces collapsed ("«Физ. лицо»", "физ лицо" and "ФИЗ.ЛИЦО" are one form)."""
    text = str(value).lower().replace("ё", "е")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def domain_of(field: Any) -> str | None:
    """The domain of a descriptor field's values: its reference table (land_use) or its
    enum's name in snake case (ParcelStatus -> parcel_status); None for other fields."""
    if getattr(field, "type", None) == "code" and field.reference is not None:
        return field.reference.__tablename__
    if getattr(field, "type", None) == "choice" and field.enum is not None:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", field.enum.__name__).lower()
    return None


@cache
def _translations(language: str) -> Translations:
    return Translations.load(str(_CATALOGUES), [language])


def label_names(label: Any) -> dict[str, str]:
    """A descriptor label (a lazy string) in each language, by language code."""
    args = getattr(label, "_args", None)
    message = str(args[0]) if args else str(label)
    return {lang: _translations(lang).gettext(message) for lang in LANGUAGES}


@dataclass
class Option:
    """A value of a domain with its names, for pickers."""

    code: str
    names: dict[str, str]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("ru") or self.code


class Names:
    """The resolver for one session: each domain's index is built once, on first use."""

    def __init__(self, session: so.Session) -> None:
        self.session = session
        self._options: dict[str, list[Option]] = {}
        self._index: dict[str, dict[str, str]] = {}

    def options(self, field: Any) -> list[Option]:
        """The values of the field's domain with their names, in the domain's order."""
        domain = domain_of(field)
        if domain is None:
            return []
        if domain not in self._options:
            if field.type == "code":
                model = field.reference
                rows = self.session.execute(
                    sa.select(model.code, model.name_ky, model.name_ru, model.name_en).order_by(
                        model.id
                    )
                ).all()
                self._options[domain] = [
                    Option(code, {"ky": ky, "ru": ru, "en": en}) for code, ky, ru, en in rows
                ]
            else:
                self._options[domain] = [
                    Option(m.value, label_names(field.values.get(m.value, m.value)))
                    for m in field.enum
                ]
        return self._options[domain]

    def index(self, field: Any) -> dict[str, str]:
        """{normal form: code} of the field's domain: codes, then names, then synonyms
        (an earlier one wins a clash)."""
        domain = domain_of(field)
        if domain is None:
            return {}
        if domain not in self._index:
            options = self.options(field)
            found: dict[str, str] = {}
            for option in options:
                found.setdefault(normal(option.code), option.code)
            for option in options:
                for name in option.names.values():
                    found.setdefault(normal(name), option.code)
            codes = {o.code for o in options}
            for synonym, code in self.session.execute(
                sa.select(ReferenceSynonym.synonym, ReferenceSynonym.code)
                .where(ReferenceSynonym.domain == domain)
                .order_by(ReferenceSynonym.id)
            ):
                if code in codes:
                    found.setdefault(normal(synonym), code)
            self._index[domain] = found
        return self._index[domain]

    def resolve(self, field: Any, value: Any) -> str | None:
        """The code `value` names in the field's domain, or None."""
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, enum.Enum):
            value = value.value
        return self.index(field).get(normal(value))

    def code_or_value(self, field: Any, value: Any) -> Any:
        """The code `value` names, or `value` unchanged (for the caller's own error)."""
        found = self.resolve(field, value)
        return value if found is None else found


def canonical_data(session: so.Session, fields: Any, data: Any) -> Any:
    """A client's JSON with the names of choice and code fields replaced by their codes
    ({"status": "свободен"} -> {"status": "free"}); anything else as sent."""
    if not isinstance(data, dict):
        return data
    names = Names(session)
    out = dict(data)
    for f in fields:
        if f.name in out and isinstance(out[f.name], str) and domain_of(f) is not None:
            out[f.name] = names.code_or_value(f, out[f.name])
    return out


def add_synonym(
    session: so.Session, field: Any, code: str, synonym: str, user_id: int | None
) -> ReferenceSynonym:
    """A new synonym of `code` in the field's domain (the one kept, when it is kept
    already). Refused when the code is not one of the domain's, when the synonym is
    empty, or when it already names a value (another one, or this one by its name)."""
    names = Names(session)
    domain = domain_of(field)
    if domain is None or code not in {o.code for o in names.options(field)}:
        raise ValidationError("unknown code '%(code)s'", field="code", code=code)
    form = " ".join(str(synonym).split())
    if not normal(form):
        raise ValidationError("required", field="synonym")
    if len(form) > 200:
        raise ValidationError("at most %(limit)s characters", field="synonym", limit=200)
    taken = names.resolve(field, form)
    if taken == code:
        found = session.scalar(
            sa.select(ReferenceSynonym).where(
                ReferenceSynonym.domain == domain, ReferenceSynonym.normal == normal(form)
            )
        )
        if found is not None:
            return found  # kept already: adding it again changes nothing
    if taken is not None:
        raise ValidationError(
            "'%(value)s' already names '%(code)s'", field="synonym", value=form, code=taken
        )
    row = ReferenceSynonym(
        domain=domain, code=code, synonym=form, normal=normal(form), created_by=user_id
    )
    session.add(row)
    session.flush()
    return row


def synonyms(session: so.Session, domain: str) -> list[ReferenceSynonym]:
    """The synonyms of a domain, by code then form."""
    return list(
        session.scalars(
            sa.select(ReferenceSynonym)
            .where(ReferenceSynonym.domain == domain)
            .order_by(ReferenceSynonym.code, ReferenceSynonym.normal)
        )
    )


def remove_synonym(session: so.Session, synonym_id: int) -> None:
    """Forget a synonym (idempotent)."""
    session.execute(sa.delete(ReferenceSynonym).where(ReferenceSynonym.id == synonym_id))
