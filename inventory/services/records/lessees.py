"""Lessees (ижарачы / арендатор): legal entities with their ИНН, individual entrepreneurs
(ИП / жеке ишкер: natural persons trading under a name, with a personal ИНН), or private
individuals.

This is the office side: names and contacts of individuals are shown to signed-in staff
and auditors only; the public outputs mask them (inventory.services.privacy).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from inventory.models import LeaseContract, Lessee, LesseeKind
from inventory.services.errors import ValidationError
from inventory.services.permissions import Actor
from inventory.services.records.common import Kind, iso, like_any
from inventory.services.records.descriptor import Field, plain_json

FIELDS = (
    Field(
        "name",
        _l("Name"),
        required=True,
        max_length=300,
        listed=1,
        sort=Lessee.name,
        synonyms=(
            "наименование",
            "арендатор",
            "ижарачы",
            "фио",
            "аты-жөнү",
            "наименование арендатора",
        ),
    ),
    Field(
        "kind",
        _l("Kind"),
        "choice",
        required=True,
        enum=LesseeKind,
        listed=2,
        filter="kind",
        values={
            "legal_entity": _l("Legal entity"),
            "individual_entrepreneur": _l("Individual entrepreneur"),
            "individual": _l("Private individual"),
        },
        synonyms=("тип",),
    ),
    Field(
        "inn",
        _l("INN (14 digits)"),
        max_length=14,
        listed=3,
        sort=Lessee.inn,
        pattern=r"^\d{14}$",
        synonyms=("инн", "иинн", "инн арендатора", "иин"),
    ),
    Field(
        "external_key",
        _l("Register key"),
        max_length=60,
        import_as="key",
        import_required=True,
        synonyms=("код арендатора", "ключ"),
    ),
    Field("phone", _l("Phone"), max_length=60, listed=4, synonyms=("телефон",)),
    Field("email", _l("E-mail"), max_length=200, synonyms=("e-mail", "почта")),
    Field("address", _l("Address"), max_length=300, synonyms=("адрес", "дарек")),
    Field("document", _l("Identity document"), max_length=200, synonyms=("документ", "паспорт")),
    Field(
        "contact_person",
        _l("Contact person"),
        max_length=200,
        synonyms=("контактное лицо", "руководитель", "директор", "байланышуучу адам"),
    ),
)


class Lessees(Kind):
    model = Lessee
    table = "lessee"
    name = "lessees"
    title = _l("Lessees")
    one = _l("Lessee")
    fields = FIELDS
    searched = "name or ИНН"

    def search(self, q: str):
        # By name or ИНН, or by the number of one of their contracts.
        return sa.or_(
            like_any(q, Lessee.name, Lessee.inn),
            Lessee.id.in_(
                sa.select(LeaseContract.lessee_id).where(like_any(q, LeaseContract.number))
            ),
        )

    def prepare(
        self,
        session: so.Session,
        actor: Actor,
        obj: Lessee,
        data: Mapping[str, Any],
        creating: bool,
    ) -> list[dict[str, Any]]:
        # The database refuses it too (ck_lessee_entrepreneur_has_personal_inn); this says why.
        if obj.kind == LesseeKind.INDIVIDUAL_ENTREPRENEUR and (obj.inn or "1")[0] not in "12":
            raise ValidationError(
                "ИНН %(inn)s is a company's; an individual entrepreneur has a personal ИНН "
                "(14 digits, 1 or 2 first)",
                field="inn",
                inn=obj.inn,
            )
        return []

    def to_json(self, session: so.Session, x: Lessee) -> dict[str, Any]:
        return {
            "id": x.id,
            "municipality": x.municipality.slug,
            **plain_json(self.fields, x),
            "version": x.version,
            "created_at": iso(x.created_at),
            "updated_at": iso(x.updated_at),
            "archived_at": iso(x.archived_at),
        }


kind = Lessees()
