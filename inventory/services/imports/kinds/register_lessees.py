"""The lessees of a contract register, from its own columns: name and ИНН.

An office's register names the lessee as it writes it ("ОсОО «Ак-Жол»", "ИП Асанов А.",
"Физ. лицо Токтосунова Г.") with the ИНН beside it, not by a key of ours. Each row's
lessee is matched to one the municipality already has (by ИНН, else by the name with
case, quotes and punctuation ignored) or created once for the file. Creation happens in
`write`, inside the import's savepoint: a dry run creates nobody.

What a person would accept is kept with a warning naming the rows: a lessee matched by
name only, one name with two ИНН.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import Lessee, LesseeKind
from inventory.services import records
from inventory.services.imports.base import Context, Row
from inventory.services.reference_names import Names

#: Words a legal form is written in at most ("физ. лицо", "индивидуальный предприниматель").
_FORM_WORDS = 3
_TOKENS = re.compile(r"[\s«»\"“”„']+")


def normal_name(name: str) -> str:
    """A name as it is compared: lower case, ё as е, quotes and punctuation as spaces."""
    text = str(name).lower().replace("ё", "е")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def person_inn(inn: str) -> bool:
    """Whether an ИНН is a person's: 14 digits starting with 1 or 2 (the sex) followed by
    the birth date as ddmmyyyy. A company's starts otherwise."""
    if len(inn) != 14 or inn[0] not in "12":
        return False
    try:
        dt.datetime.strptime(inn[1:9], "%d%m%Y")
    except ValueError:
        return False
    return True


def entrepreneur_inn(inn: str | None) -> bool:
    """Whether an individual entrepreneur may have this ИНН: none on file, or a natural
    person's (1 or 2 first, as the database's rule says)."""
    return inn is None or inn[:1] in ("1", "2")


class KindOfLessee:
    """A lessee's kind from the legal form its name starts (or ends) with, read through
    the names of the lessee kinds and their synonyms (ОсОО, ИП, "Физ. лицо": the
    reference_synonym table, where ИП, И.П., ЖИ, "жеке ишкер" name an individual
    entrepreneur), else from its ИНН."""

    def __init__(self, session: so.Session) -> None:
        self.names = Names(session)
        self.field = records.KINDS["lessees"].field("kind")

    def form(self, name: str) -> str | None:
        # Whole words of the name as written: "Ак-Жол" is a name, not the form АК.
        words = [w for w in _TOKENS.split(str(name)) if w]
        for count in range(min(_FORM_WORDS, len(words)), 0, -1):
            for part in (words[:count], words[-count:]):
                found = self.names.resolve(self.field, " ".join(part))
                if found is not None:
                    return found
        return None

    def __call__(self, name: str | None, inn: str | None) -> LesseeKind | None:
        found = self.form(name or "") if name else None
        if found is not None:
            return LesseeKind(found)
        if inn:
            return LesseeKind.INDIVIDUAL if person_inn(inn) else LesseeKind.LEGAL_ENTITY
        return None


def _rows(rows: list[Row]) -> str:
    return ", ".join(str(r.number) for r in rows)


def resolve_lessees(ctx: Context, rows: list[Row], known_keys: dict) -> None:
    """Set each row's ids["lessee"]: an id, or None with ids["new_lessee"] the values of
    a lessee to create (rows of one new lessee share one dict). `known_keys` maps
    (municipality id, register key) to ids."""
    by_inn: dict[tuple[int, str], int] = {}
    by_name: dict[tuple[int, str], list[tuple[int, str | None]]] = defaultdict(list)
    for i, municipality, name, inn in ctx.session.execute(
        sa.select(Lessee.id, Lessee.municipality_id, Lessee.name, Lessee.inn)
    ):
        if inn:
            by_inn[(municipality, inn)] = i
        by_name[(municipality, normal_name(name))].append((i, inn))
    new: dict[tuple, dict] = {}
    lessee_kind = KindOfLessee(ctx.session)
    by_name_only: list[Row] = []
    inns_of_name: dict[tuple, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    unknown_kind: list[Row] = []
    for row in rows:
        place = row.ids["municipality"]
        key, name, inn = row["lessee_key"], row["lessee_name"], row["lessee_inn"]
        row.ids["lessee"] = row.ids["new_lessee"] = None
        if place is None:
            continue
        if name and inn:
            inns_of_name[(place, normal_name(name))][inn].append(row)
        if key is not None and (place, key) in known_keys:
            row.ids["lessee"] = known_keys[(place, key)]
            continue
        if name is None and inn is None:
            if key is not None:
                ctx.problem(row.number, "lessee_key", "no lessee '%(value)s'", value=key)
            else:
                ctx.problem(row.number, "lessee_name", "missing: the lessee's name or key")
            continue
        if inn is not None and (place, inn) in by_inn:
            row.ids["lessee"] = by_inn[(place, inn)]
            continue
        if name is not None:
            # A stored lessee of that name with another ИНН is another lessee.
            same = [
                i
                for i, stored in by_name.get((place, normal_name(name)), [])
                if inn is None or stored is None
            ]
            if len(same) == 1:
                row.ids["lessee"] = same[0]
                by_name_only.append(row)
                continue
        if name is None:
            ctx.problem(
                row.number, "lessee_name", "no lessee with ИНН %(inn)s; give the name", inn=inn
            )
            continue
        kind = lessee_kind(name, inn)
        if kind == LesseeKind.LEGAL_ENTITY and inn is None:
            ctx.problem(row.number, "lessee_inn", "a legal entity needs its ИНН")
            continue
        if kind == LesseeKind.INDIVIDUAL_ENTREPRENEUR and not entrepreneur_inn(inn):
            ctx.problem(
                row.number,
                "lessee_inn",
                "ИНН %(inn)s is a company's; an individual entrepreneur has a personal ИНН "
                "(14 digits, 1 or 2 first)",
                inn=inn,
            )
            continue
        if kind is None:
            kind = LesseeKind.INDIVIDUAL
            unknown_kind.append(row)
        row.ids["new_lessee"] = new.setdefault(
            (place, inn or normal_name(name)),
            {"municipality_id": place, "external_key": key, "kind": kind, "name": name, "inn": inn},
        )
    _warn(ctx, by_name_only, inns_of_name, unknown_kind)


def _warn(ctx: Context, by_name_only: list[Row], inns_of_name: dict, unknown_kind: list[Row]):
    if by_name_only:
        ctx.problem(
            by_name_only[0].number,
            "lessee_name",
            "lessee matched by name only, with no ИНН to confirm it (rows %(rows)s)",
            "warning",
            rows=_rows(by_name_only),
        )
    for inns in inns_of_name.values():
        if len(inns) > 1:
            rows = sorted((r for found in inns.values() for r in found), key=lambda r: r.number)
            ctx.problem(
                rows[0].number,
                "lessee_inn",
                "one lessee name with %(count)s different ИНН (%(inns)s), kept as different "
                "lessees (rows %(rows)s)",
                "warning",
                count=len(inns),
                inns=", ".join(sorted(inns)),
                rows=_rows(rows),
            )
    if unknown_kind:
        ctx.problem(
            unknown_kind[0].number,
            "lessee_name",
            "no legal form or ИНН tells whether the lessee is a company; taken as a private "
            "individual (rows %(rows)s)",
            "warning",
            rows=_rows(unknown_kind),
        )


def create_lessees(ctx: Context, rows: list[Row]) -> None:
    """Create the rows' new lessees (one statement) and give the rows their ids."""
    new = list(
        {
            id(r.ids["new_lessee"]): r.ids["new_lessee"] for r in rows if r.ids.get("new_lessee")
        }.values()
    )
    if not new:
        return
    ids = ctx.session.scalars(
        sa.insert(Lessee).returning(Lessee.id, sort_by_parameter_order=True), new
    ).all()
    created = {id(values): i for values, i in zip(new, ids, strict=True)}
    for row in rows:
        if row.ids.get("new_lessee") is not None:
            row.ids["lessee"] = created[id(row.ids["new_lessee"])]
