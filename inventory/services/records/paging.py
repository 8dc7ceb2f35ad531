"""A page of a list and the filters that choose it, as the API and the office lists
take them from the query string."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from inventory.services.errors import ValidationError
from inventory.services.terms import bounded

MAX_LIMIT = 500
DEFAULT_LIMIT = 50


@dataclass
class Page:
    """One page of a list: the items and how many match in all."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def as_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
        }


@dataclass
class Filters:
    municipality: str | None = None
    status: str | None = None
    q: str | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    include_archived: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """Filters from query-string arguments, checked (limit 1..500, offset >= 0; the
        search and text filters at most terms.MAX_TERM_LENGTH characters)."""

        def number(name: str, default: int, low: int, high: int | None) -> int:
            raw = args.get(name)
            if raw in (None, ""):
                return default
            if not raw.isdecimal() or int(raw) < low or (high is not None and int(raw) > high):
                if high:
                    raise ValidationError(
                        "expected a whole number from %(low)s to %(high)s",
                        field=name,
                        low=low,
                        high=high,
                    )
                raise ValidationError(
                    "expected a whole number at least %(low)s", field=name, low=low
                )
            return int(raw)

        return cls(
            municipality=bounded(args.get("municipality"), "municipality"),
            status=bounded(args.get("status"), "status"),
            q=bounded(args.get("q"), "q"),
            limit=number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
            offset=number("offset", 0, 0, None),
            include_archived=args.get("archived") in ("1", "true", "yes"),
        )
