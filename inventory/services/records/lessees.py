"""Lessees (ижарачы / арендатор): legal entities with their ИНН, or private individuals.

This is the office side: names and contacts of individuals are shown to signed-in staff
and auditors only; the public outputs mask them (inventory.services.privacy).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import LeaseContract, Lessee, LesseeKind
from inventory.services.records import fields
from inventory.services.records.common import Kind, iso, like_any


class Lessees(Kind):
    model = Lessee
    table = "lessee"
    spec = {
        "kind": fields.choice(LesseeKind),
        "name": fields.text(300, required=True),
        "inn": fields.text(14),
        "external_key": fields.text(60),
        "phone": fields.text(60),
        "email": fields.text(200),
        "address": fields.text(300),
        "document": fields.text(200),
    }
    required = ("kind", "name")

    def search(self, q: str):
        # By name or ИНН, or by the number of one of their contracts.
        return sa.or_(
            like_any(q, Lessee.name, Lessee.inn),
            Lessee.id.in_(
                sa.select(LeaseContract.lessee_id).where(like_any(q, LeaseContract.number))
            ),
        )

    def to_json(self, session: so.Session, x: Lessee) -> dict[str, Any]:
        return {
            "id": x.id,
            "municipality": x.municipality.slug,
            "kind": x.kind.value,
            "name": x.name,
            "inn": x.inn,
            "external_key": x.external_key,
            "phone": x.phone,
            "email": x.email,
            "address": x.address,
            "document": x.document,
            "version": x.version,
            "created_at": iso(x.created_at),
            "updated_at": iso(x.updated_at),
            "archived_at": iso(x.archived_at),
        }


kind = Lessees()
