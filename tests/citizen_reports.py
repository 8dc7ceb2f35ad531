"""Citizen reports for the moderation tests: filed as a resident files them (through the
service, so the photo is stored as in production), then moved on where a test needs it."""

from __future__ import annotations

import itertools

import sqlalchemy.orm as so

from inventory import models as m
from inventory.services.public import reports

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
CONTACT = "+996 700 123 456"
_clients = itertools.count(1)


def filed(
    session: so.Session,
    parcel: m.Parcel,
    text: str = "Киоск на газоне",
    *,
    upload_dir: str = "/nonexistent",
    photo: bytes | None = None,
    contact: str | None = CONTACT,
) -> m.CitizenReport:
    """A pending report about `parcel`, from a client of its own (no rate limit)."""
    return reports.submit_report(
        session,
        text=text,
        place=reports.Place(parcel_id=parcel.id),
        client=f"{next(_clients):064d}",
        upload_dir=upload_dir,
        contact=contact,
        photo=photo,
    )
