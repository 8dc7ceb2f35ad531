"""Which contract a line of a bank or treasury statement pays for.

The purpose text usually names the contract as offices write its number: "оплата аренды
по дог. №116/2022 за март", "N 116-2022", "дог.116/2022", "келишим №45". Numbers are
compared with case and separators ignored (116/2022 is 116-2022). A line naming no known
contract is matched by the payer's ИНН when that lessee has exactly one active contract.
"""

from __future__ import annotations

import re
from collections import defaultdict

import sqlalchemy as sa
import sqlalchemy.orm as so

#: A contract number after the words offices put before it.
_MARKED = re.compile(
    r"(?:№|\bN[o°]?\.?(?=\s*\d)|\bдог(?:овор\w*)?\.?|\bкелишим\w*\.?)\s*(?:№|N\b)?\s*"
    r"([0-9][0-9A-Za-zА-Яа-яЁё]*(?:[/\-.][0-9A-Za-zА-Яа-яЁё]+)*)",
    re.IGNORECASE,
)
#: Any number with a separator inside (116/2022), when no word marks one.
_BARE = re.compile(r"\b([0-9A-Za-zА-Яа-яЁё]*\d[0-9A-Za-zА-Яа-яЁё]*(?:[/\-][0-9A-Za-zА-Яа-яЁё]+)+)")


def number_key(number: str) -> str:
    """A contract number as compared: lower case, letters and digits only."""
    return "".join(c for c in str(number).lower().replace("ё", "е") if c.isalnum())


def numbers_in(purpose: str | None) -> list[str]:
    """The contract numbers a purpose text names, as keys: those after №, N, дог.,
    договор or келишим; else any number with / or - inside."""
    if not purpose:
        return []
    marked = [m.group(1).rstrip(".") for m in _MARKED.finditer(purpose)]
    found = marked or [m.group(1) for m in _BARE.finditer(purpose)]
    return list(dict.fromkeys(number_key(n) for n in found if number_key(n)))


class ContractFinder:
    """The contracts of the municipalities an import touches, by number key and by
    the ИНН of a lessee with exactly one active contract."""

    def __init__(self, session: so.Session) -> None:
        self.by_number: dict[tuple[int, str], set[int]] = defaultdict(set)
        active: dict[tuple[int, str], set[int]] = defaultdict(set)
        for cid, place, number, status, inn in session.execute(
            sa.text("""
            SELECT c.id, c.municipality_id, c.number, c.status::text, l.inn
              FROM lease_contract c JOIN lessee l ON l.id = c.lessee_id
             WHERE c.archived_at IS NULL""")
        ):
            self.by_number[(place, number_key(number))].add(cid)
            if status == "active" and inn:
                active[(place, inn)].add(cid)
        self.by_inn = {key: ids.pop() for key, ids in active.items() if len(ids) == 1}

    def find(self, municipality: int, purpose: str | None, inn: str | None) -> int | None:
        """The contract a line pays for, or None when nothing says it for certain."""
        found = {
            cid
            for key in numbers_in(purpose)
            for cid in self.by_number.get((municipality, key), ())
        }
        if len(found) == 1:
            return found.pop()
        if not found and inn:
            return self.by_inn.get((municipality, inn))
        return None
