"""The one place personal data is masked for every public output.

Under the Kyrgyz law on personal data, a private individual who leases municipal property
is never named in public: pages, vector tiles, JSON, search answers and downloads show
"private individual" instead, with no name, ИНН, contact or document. A legal entity's
name and ИНН are public. An individual entrepreneur (ИП / жеке ишкер) is a natural person
trading under a name: the trade name is public, its ИНН (a personal number that encodes
the sex and birth date), contacts and documents never are.

Two halves that must agree, and are tested to agree:

- `public_lessee()` masks a lessee already loaded in Python;
- `public_lessee_name_sql()` / `public_lessee_inn_sql()` mask in SQL, so tiles, searches
  and exports never fetch a private name out of the database in the first place.

A client's network address is personal data too: `client_hash()` is what is kept of it.

Nothing here knows Flask: the "private individual" label is a message id that the web layer
translates when it renders (`PublicLessee.display_name(gettext)`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from inventory.models import LesseeKind


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    """Mark a message for extraction; it is translated later, where it is rendered."""
    return message


#: What the public sees instead of a private individual's name (a message id).
PRIVATE_INDIVIDUAL = N_("Private individual")

#: The only lessee kind whose ИНН is public (a company's number, not a person's).
PUBLIC_KIND = LesseeKind.LEGAL_ENTITY.value

#: The lessee kinds whose name is public: a company's, an entrepreneur's trade name.
NAMED_KINDS = (PUBLIC_KIND, LesseeKind.INDIVIDUAL_ENTREPRENEUR.value)


@dataclass(frozen=True)
class PublicLessee:
    """The public face of a lessee: `name` and `inn` are None for a private individual,
    `inn` is None for an individual entrepreneur."""

    kind: str
    name: str | None
    inn: str | None

    @property
    def is_private(self) -> bool:
        """A private individual: never named."""
        return self.kind not in NAMED_KINDS

    def display_name(self, translate: Callable[[str], str]) -> str:
        """The name to show: the company's or the entrepreneur's trade name, or "private
        individual" in the reader's language."""
        if self.is_private or not self.name:
            return translate(PRIVATE_INDIVIDUAL)
        return self.name

    def as_dict(self, translate: Callable[[str], str]) -> dict[str, Any]:
        """JSON-ready public fields; a private individual's carry no identity at all."""
        return {
            "kind": self.kind,
            "private": self.is_private,
            "name": self.display_name(translate),
            "inn": self.inn,
        }


def public_lessee(
    kind: str | LesseeKind | None, name: str | None = None, inn: str | None = None
) -> PublicLessee:
    """Mask one lessee: a legal entity keeps name and ИНН, an individual entrepreneur its
    trade name only, anyone else nothing.

    An unknown or missing kind is treated as a private individual: when in doubt, hide.
    """
    kind_value = kind.value if isinstance(kind, LesseeKind) else (kind or "")
    if kind_value == PUBLIC_KIND:
        return PublicLessee(kind=kind_value, name=name, inn=inn)
    if kind_value in NAMED_KINDS:
        return PublicLessee(kind=kind_value, name=name, inn=None)
    return PublicLessee(kind=LesseeKind.INDIVIDUAL.value, name=None, inn=None)


def public_lessee_from(row: Mapping[str, Any] | Any) -> PublicLessee:
    """Mask a row mapping or an object with `kind`, `name`, `inn` (e.g. a Lessee).

    Other fields (phone, email, address, document) are never copied, whatever the kind.
    """
    if isinstance(row, Mapping):
        return public_lessee(row.get("kind"), row.get("name"), row.get("inn"))
    return public_lessee(
        getattr(row, "kind", None), getattr(row, "name", None), getattr(row, "inn", None)
    )


def public_lessee_name_sql(
    kind_column: sa.ColumnElement, name_column: sa.ColumnElement
) -> sa.ColumnElement[str]:
    """SQL: the lessee's name for a legal entity or an individual entrepreneur, NULL for
    a private individual.

    The same rule as `public_lessee()`, for queries that must not read a private name
    out of the database at all (tiles, search, exports).
    """
    return sa.case((kind_column.in_(NAMED_KINDS), name_column), else_=sa.null())


def public_lessee_inn_sql(
    kind_column: sa.ColumnElement, inn_column: sa.ColumnElement
) -> sa.ColumnElement[str]:
    """SQL: the lessee's ИНН for a legal entity, NULL for anyone else."""
    return sa.case((kind_column == sa.literal(PUBLIC_KIND), inn_column), else_=sa.null())


def public_lessee_name_text(alias: str = "l") -> str:
    """The name mask as SQL text, for hand-written statements over `lessee AS alias`.

    Kept next to the SQLAlchemy form so the rule has one home.
    """
    return _masked_text(alias, "name", NAMED_KINDS)


def public_lessee_inn_text(alias: str = "l") -> str:
    """The ИНН mask as SQL text, for hand-written statements over `lessee AS alias`."""
    return _masked_text(alias, "inn", (PUBLIC_KIND,))


def _masked_text(alias: str, column: str, kinds: tuple[str, ...]) -> str:
    if not alias.isidentifier():
        raise ValueError(f"not an SQL alias: {alias!r}")
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    return f"CASE WHEN {alias}.kind IN ({listed}) THEN {alias}.{column} END"


def client_hash(address: str | None, secret: str, purpose: str = "") -> str:
    """A keyed hash of a client's network address (64 hex characters): it groups a
    client's requests (sign-in attempts, citizen reports) without the address being kept.

    Keyed with the app's secret, so it cannot be reversed by hashing every IPv4 address.
    `purpose` names the use ("" for sign-in attempts): the same address hashes apart for
    each, so the stored hashes of one use cannot be matched with another's.
    """
    client = address or "unknown"
    message = f"{purpose}:{client}" if purpose else client
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
