"""The reference tables the generator reads (data/reference/*.csv), never duplicates.

Land uses with their coefficient Kf and commercial flag, land categories, and which
observed use is allowed on which designated use. The anomaly rules use the same files, so
reading them here keeps the demo and the engine agreeing on what "misuse" means.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "reference"


@dataclass(frozen=True)
class Reference:
    """Land categories, land uses (Kf, commercial) and use compatibility."""

    categories: tuple[str, ...]
    kf: dict[str, float]
    commercial: frozenset[str]
    allowed: dict[str, tuple[str, ...]]  # designated use -> observed uses allowed on it

    def is_allowed(self, designated: str, observed: str) -> bool:
        return observed in self.allowed.get(designated, ())

    def both_allow(self, designated: str, contracted: str) -> tuple[str, ...]:
        """Observed uses allowed on the designated use and on the contracted use, in the
        order of the compatibility table."""
        second = self.allowed.get(contracted, ())
        return tuple(u for u in self.allowed.get(designated, ()) if u in second)

    def forbidden_on(self, use: str, candidates: tuple[str, ...]) -> tuple[str, ...]:
        """The candidates that the compatibility table does not allow on `use`."""
        return tuple(c for c in candidates if not self.is_allowed(use, c))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(directory: Path | None = None) -> Reference:
    """Read the three reference tables; raises FileNotFoundError naming the folder."""
    directory = Path(directory) if directory else DEFAULT_DIR
    if not (directory / "land_uses.csv").exists():
        raise FileNotFoundError(
            f"no reference tables in {directory} (expected land_categories.csv, "
            "land_uses.csv, use_compatibility.csv); pass reference_dir"
        )
    categories = tuple(r["code"] for r in _rows(directory / "land_categories.csv"))
    uses = _rows(directory / "land_uses.csv")
    allowed: dict[str, list[str]] = {}
    for row in _rows(directory / "use_compatibility.csv"):
        allowed.setdefault(row["designated_use"], []).append(row["allowed_observed_use"])
    return Reference(
        categories=categories,
        kf={r["code"]: float(r["kf"]) for r in uses},
        commercial=frozenset(r["code"] for r in uses if r["is_commercial"] == "true"),
        allowed={k: tuple(v) for k, v in allowed.items()},
    )
