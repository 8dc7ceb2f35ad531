"""A rule's message: one template with named evidence fields, rendered two ways.

`Sentence.of(N_("Contract %(contract)s ends on %(end_date)s ..."), days="days_left")` is
a message id whose placeholders name evidence paths (a placeholder not listed reads the
evidence key of its own name; dots go down into objects and lists: `inspection.date`,
`parcels.0.ident_code`). From it come

- `sql(root)`: the English sentence as one SQL expression over the jsonb `root`
  (`format('Contract %s ends on %s ...', root #>> '{contract}', ...)`), so a scan stores
  every flag's sentence set-based, with no Python per flag;
- `text(evidence, gettext, language)`: the same sentence in the reader's language from a
  flag's evidence (the translations of the message id in inventory/translations).

The two write values alike: strings as they are, numbers without trailing zeros (jsonb
keeps `1200.00`, Python reads it back as `1200.0`; both show `1200`: a number field is
declared, `number(path)`, so that SQL reads every other field as plain text), a value
with a `missing` text shows that text when absent. `Either` picks one of two sentences by an
evidence value, `Items` joins a sentence per element of an evidence list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Gettext = Callable[[str], str]
#: Names a code of a field in the reader's language: name("designated_use", "industry");
#: name("#number", 1200.5) and name("#value", "2026-05-14") write a number or a date.
Namer = Callable[[str, Any], Any]


def _as_is(field: str, code: Any) -> Any:
    return code


_PLACEHOLDER = re.compile(r"%%|%\((\w+)\)s")
_PATH_PART = re.compile(r"^\w+$")


def _literal(text: str) -> str:
    """`text` as an SQL string literal (refusing `:name`, which sa.text would bind)."""
    if re.search(r"(?<![:\w]):\w", text):
        raise ValueError(f"a colon before a word would be read as a bind parameter: {text!r}")
    return "'" + text.replace("'", "''") + "'"


def _path(path: str) -> list[str]:
    parts = path.split(".")
    if not all(_PATH_PART.match(part) for part in parts):
        raise ValueError(f"not an evidence path: {path!r}")
    return parts


def _get_text(root: str, path: str) -> str:
    """SQL: the text of the jsonb `root` at `path` (NULL when absent or null)."""
    parts = _path(path)
    if len(parts) == 1:
        return f"{root} ->> '{parts[0]}'"
    return f"{root} #>> '{{{','.join(parts)}}}'"


def _get(root: str, path: str) -> str:
    """SQL: the jsonb value of `root` at `path`."""
    return f"{root} #> '{{{','.join(_path(path))}}}'"


def _at(evidence: Any, path: str) -> Any:
    """The evidence value at `path`; KeyError, IndexError or TypeError when it is not there."""
    value = evidence
    for part in _path(path):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def _plain(value: Any) -> str:
    """A value as the SQL side writes it (numbers without trailing zeros, jsonb booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        return format(number.normalize(), "f")
    return str(value)


@dataclass(frozen=True)
class Field:
    """One placeholder's value: the evidence at `path`. `number`: a number, written
    without trailing zeros; `missing`: a message id shown when the value is absent or
    null; `words`: a code with underscores read as words (`water_protection` -> `water
    protection`); `localized`: the value is a mapping of language to text (the stored
    English sentence takes `en`); `names`: the value is a code of that field (a land use,
    a status), told by its name in the reader's language (the stored English sentence
    keeps the code)."""

    path: str
    number: bool = False
    missing: str | None = None
    words: bool = False
    localized: bool = False
    names: str | None = None

    def sql(self, root: str, depth: int = 0) -> str:
        text = _get_text(root, self.path + (".en" if self.localized else ""))
        if self.number:
            text = f"CAST(trim_scale(CAST({text} AS numeric)) AS text)"
        if self.words:
            text = f"replace({text}, '_', ' ')"
        if self.missing is not None:
            text = f"coalesce({text}, {_literal(self.missing)})"
        return text

    def text(self, evidence: Any, gettext: Gettext, language: str, name: Namer = _as_is) -> str:
        try:
            value = _at(evidence, self.path)
        except (KeyError, IndexError, TypeError):
            if self.missing is None:
                raise
            value = None
        if self.localized and value is not None:
            value = value.get(language) or value["en"]
        if value is None:
            if self.missing is None:
                raise ValueError(f"no value at {self.path}")
            return gettext(self.missing)
        # The namer also writes numbers and dates as the reader's language does.
        kind = self.names or ("#number" if self.number else "#value")
        named = name(kind, value)
        if named is not value and named != value:
            return str(named)
        text = _plain(value)
        return text.replace("_", " ") if self.words else text


@dataclass(frozen=True)
class Sentence:
    """A message id (`template`, with `%(name)s` placeholders) and what fills each
    placeholder: a Field, or a nested Sentence, Either or Items."""

    template: str
    fields: Mapping[str, Part] = field(default_factory=dict)

    @classmethod
    def of(cls, template: str, **fields: Part | str) -> Sentence:
        """The sentence of `template`; a field given as a string is an evidence path, a
        placeholder not given reads the evidence key of its own name."""
        parts: dict[str, Part] = {}
        for name in cls.placeholders(template):
            given = fields.pop(name, name)
            parts[name] = Field(given) if isinstance(given, str) else given
        if fields:
            raise ValueError(f"{sorted(fields)} are not placeholders of {template!r}")
        return cls(template, parts)

    @staticmethod
    def placeholders(template: str) -> list[str]:
        """The placeholder names of `template`, in order, each once."""
        names = [m[1] for m in _PLACEHOLDER.finditer(template) if m[1]]
        return list(dict.fromkeys(names))

    def sql(self, root: str, depth: int = 0) -> str:
        arguments = []

        def positional(match: re.Match[str]) -> str:
            if match[1] is None:
                return "%%"
            arguments.append(self.fields[match[1]].sql(root, depth))
            return "%s"

        template = _literal(_PLACEHOLDER.sub(positional, self.template))
        if not arguments:
            return template
        return f"format({template}, {', '.join(arguments)})"

    def text(self, evidence: Any, gettext: Gettext, language: str, name: Namer = _as_is) -> str:
        values = {
            key: part.text(evidence, gettext, language, name) for key, part in self.fields.items()
        }
        return gettext(self.template) % values


@dataclass(frozen=True)
class Either:
    """`then` when the evidence at `path` equals `equals` (or, with no `equals`, is there
    at all), `otherwise` else: misuse with or without a contract in force."""

    path: str
    then: Sentence
    otherwise: Sentence
    equals: str | None = None

    def sql(self, root: str, depth: int = 0) -> str:
        value = _get_text(root, self.path)
        test = (
            f"{value} IS NOT NULL" if self.equals is None else f"{value} = {_literal(self.equals)}"
        )
        then, otherwise = self.then.sql(root, depth), self.otherwise.sql(root, depth)
        return f"CASE WHEN {test} THEN {then} ELSE {otherwise} END"

    def text(self, evidence: Any, gettext: Gettext, language: str, name: Namer = _as_is) -> str:
        try:
            value = _at(evidence, self.path)
        except (KeyError, IndexError, TypeError):
            value = None
        chosen = value is not None if self.equals is None else value == self.equals
        return (self.then if chosen else self.otherwise).text(evidence, gettext, language, name)


@dataclass(frozen=True)
class Items:
    """The elements of the evidence list at `path`, each told by `item` (whose fields are
    paths inside the element), joined by `separator`, in the list's order."""

    path: str
    item: Sentence
    separator: str = ", "

    def sql(self, root: str, depth: int = 0) -> str:
        alias = f"item{depth}"
        told = self.item.sql(f"{alias}.value", depth + 1)
        return (
            f"(SELECT string_agg({told}, {_literal(self.separator)} ORDER BY {alias}.n)"
            f" FROM jsonb_array_elements({_get(root, self.path)})"
            f" WITH ORDINALITY AS {alias}(value, n))"
        )

    def text(self, evidence: Any, gettext: Gettext, language: str, name: Namer = _as_is) -> str:
        elements = _at(evidence, self.path)
        return self.separator.join(self.item.text(e, gettext, language, name) for e in elements)


def number(path: str, missing: str | None = None) -> Field:
    """The number at `path` (declared, so that SQL trims its zeros as Python does)."""
    return Field(path, number=True, missing=missing)


Part = Field | Sentence | Either | Items
