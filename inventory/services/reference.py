"""Reference tables: land categories, land uses with Kf, and use compatibility.

Every installation starts from the CSV files in data/reference. Loading them only adds
what is missing, so values an administrator has edited are never overwritten.
"""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects.postgresql import insert

from inventory.config import PROJECT_ROOT
from inventory.models import LandCategory, LandUse, UseCompatibility

REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def ensure_reference_data(session: so.Session, folder: Path = REFERENCE_DIR) -> dict[str, int]:
    """Add the missing reference rows from `folder`; return how many of each exist now."""
    categories = _rows(folder / "land_categories.csv")
    if categories:
        session.execute(
            insert(LandCategory).values(categories).on_conflict_do_nothing(index_elements=["code"])
        )
    uses = [
        {
            **row,
            "is_commercial": row["is_commercial"] == "true",
            "is_demo": row.get("is_demo", "true") == "true",
        }
        for row in _rows(folder / "land_uses.csv")
    ]
    if uses:
        session.execute(
            insert(LandUse).values(uses).on_conflict_do_nothing(index_elements=["code"])
        )
    ids = dict(session.execute(sa.select(LandUse.code, LandUse.id)).all())
    pairs = []
    for number, row in enumerate(_rows(folder / "use_compatibility.csv"), start=2):
        for column in ("designated_use", "allowed_observed_use"):
            if row[column] not in ids:
                raise ValueError(
                    f"{folder / 'use_compatibility.csv'} line {number}: "
                    f"unknown use '{row[column]}' in {column}"
                )
        pairs.append(
            {
                "designated_use_id": ids[row["designated_use"]],
                "allowed_use_id": ids[row["allowed_observed_use"]],
            }
        )
    if pairs:
        session.execute(insert(UseCompatibility).values(pairs).on_conflict_do_nothing())
    return {
        "land categories": session.scalar(sa.select(sa.func.count()).select_from(LandCategory)),
        "land uses": session.scalar(sa.select(sa.func.count()).select_from(LandUse)),
        "compatible uses": session.scalar(sa.select(sa.func.count()).select_from(UseCompatibility)),
    }


def use_ids(session: so.Session) -> dict[str, int]:
    """Land use code -> id."""
    return dict(session.execute(sa.select(LandUse.code, LandUse.id)).all())


def category_ids(session: so.Session) -> dict[str, int]:
    """Land category code -> id."""
    return dict(session.execute(sa.select(LandCategory.code, LandCategory.id)).all())
