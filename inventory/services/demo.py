"""Loading the demo data (data/demo) through the same import pipeline as officers' files,
then scanning it and writing its open-data files, so a fresh start shows a full audit."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.config import PROJECT_ROOT
from inventory.models import Role
from inventory.services import anomalies, audit, users
from inventory.services.anomalies import ScanResult
from inventory.services.auctions import demo as auction_lots
from inventory.services.errors import ValidationError
from inventory.services.imports import ImportFailed, ImportReport, run_import
from inventory.services.opendata.snapshot import Snapshot, write_snapshot

DEMO_DIR = PROJECT_ROOT / "data" / "demo"

#: (kind, file stem) in dependency order: each kind refers only to kinds above it.
LOAD_ORDER = (
    ("municipalities", "municipalities"),
    ("zones", "zones"),
    ("base_rates", "base_rates"),
    ("protected_areas", "protected_areas"),
    ("parcels", "parcels"),
    ("buildings", "buildings"),
    ("lessees", "lessees"),
    ("contracts", "contracts"),
    ("payments", "payments"),
    ("inspections", "inspections"),
)
_SUFFIXES = (".gpkg", ".geojson", ".csv")

DEMO_USERS = (
    ("admin", Role.ADMIN, None, "Administrator (demo)"),
    ("officer-osh", Role.OFFICER, "osh", "Officer of Osh (demo)"),
    ("officer-jalalabad", Role.OFFICER, "jalal-abad", "Officer of Jalal-Abad (demo)"),
    ("auditor", Role.AUDITOR, None, "Auditor (demo)"),
)


def demo_file(folder: Path, stem: str) -> Path:
    for suffix in _SUFFIXES:
        candidate = folder / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    raise ValidationError(
        "%(folder)s has no %(stem)s file (.gpkg, .geojson or .csv)",
        field="folder",
        folder=folder,
        stem=stem,
    )


def load_demo(
    session: so.Session, folder: Path = DEMO_DIR, password: str | None = "demo", progress=None
) -> list[ImportReport]:
    """Import every demo file in order and create the demo users.

    Raises ImportFailed (nothing kept by the caller's rollback) if any file has errors.
    Running it twice changes nothing the second time. `password` None skips the users.
    """
    audit.set_actor(session, None, "demo")
    reports = []
    for kind, stem in LOAD_ORDER:
        # The demo's registers carry planted malformed codes for the audit to find; an
        # officer's import refuses them.
        report = run_import(session, kind, demo_file(folder, stem), keep_malformed_codes=True)
        if not report.ok:
            raise ImportFailed(report)
        if progress:
            progress(report.summary())
        reports.append(report)
    # The auction lots (inventory.services.auctions.demo) on objects the files made:
    # announced, held with the winner's contract, and without bids.
    auction_lots.load_lots(session)
    # Fresh planner statistics: right after a bulk load PostgreSQL would otherwise guess
    # row counts and pick slow plans for the anomaly scan and the map.
    session.execute(sa.text("ANALYZE"))
    if password is not None:
        for username, role, municipality, full_name in DEMO_USERS:
            users.create_or_update(
                session,
                username=username,
                role=role,
                password=password,
                municipality_slug=municipality,
                full_name=full_name,
                enforce_policy=password != "demo",
            )
    return reports


def demo_as_of(folder: Path = DEMO_DIR) -> dt.date | None:
    """The day the demo data is "today" for (its manifest's `as_of`), or None."""
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return None
    as_of = json.loads(manifest.read_text(encoding="utf-8")).get("as_of")
    return dt.date.fromisoformat(as_of) if as_of else None


def scan_demo(
    session: so.Session, folder: Path = DEMO_DIR, settings: Mapping[str, Any] | None = None
) -> ScanResult:
    """The full anomaly scan of the loaded demo as of its own day (demo_as_of): it finds
    the anomalies planted in it (planted.csv). The app's nightly scan judges by the real
    date afterwards. The caller commits."""
    audit.set_actor(session, None, "demo")
    return anomalies.scan(session, as_of=demo_as_of(folder), settings=settings)


def publish_demo(session: so.Session, settings: Mapping[str, Any], base_url: str) -> Snapshot:
    """The open-data files of the loaded demo in VAR_DIR/opendata, as `inventory
    opendata` writes them (links inside them to `base_url`)."""
    return write_snapshot(
        session,
        Path(settings["VAR_DIR"]) / "opendata",
        prefix=settings["OCDS_OCID_PREFIX"],
        licence=settings["OPENDATA_LICENCE"],
        base_url=base_url.rstrip("/"),
    )


def campaign_demo(
    session: so.Session, folder: Path = DEMO_DIR, settings: Mapping[str, Any] | None = None
) -> int | None:
    """The demo's finished review campaign of Jalal-Abad, decided from the loaded demo
    (inventory.services.campaigns.demo_plan) and run through the campaign services as an
    administrator and officers would: opened, assigned, every contract decided
    (amendments and terminations through the contracts' own service), closed. Its id;
    None when the demo has no active contract there. Loading again changes nothing.
    The caller commits."""
    from inventory.models import ReviewCampaign, User
    from inventory.services.campaigns import demo_plan, opening, reviewing
    from inventory.services.permissions import Actor

    plan = demo_plan.CAMPAIGN
    done = session.scalar(sa.select(ReviewCampaign.id).where(ReviewCampaign.title == plan["title"]))
    if done is not None:
        return done
    decisions = demo_plan.decisions(session, folder)
    if not decisions:
        return None
    audit.set_actor(session, None, "demo")
    admin = Actor(user_id=None, role=Role.ADMIN, source="demo")  # type: ignore[arg-type]
    officers = list(session.scalars(sa.select(User.id).where(User.username.in_(plan["officers"]))))
    campaign = opening.open_campaign(
        session,
        admin,
        {
            "municipality": plan["municipality"],
            "title": plan["title"],
            "opened_on": plan["opened_on"],
            "deadline": plan["deadline"],
            **({"officers": officers} if officers else {}),
        },
    )
    for review in list(campaign.reviews):
        decision = decisions.get(review.contract.number, {"outcome": "kept"})
        reviewing.decide(
            session,
            admin,
            campaign.id,
            review.id,
            {"version": review.version, "decided_on": plan["decided_on"], **decision},
            settings,
        )
    opening.close_campaign(
        session, admin, campaign.id, today=dt.date.fromisoformat(plan["closed_on"])
    )
    return campaign.id
