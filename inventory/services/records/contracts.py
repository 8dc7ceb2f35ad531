"""Lease contracts (ижара келишими / договор аренды): terms, objects, lifecycle, money.

Lifecycle: draft -> active -> expired or terminated. An amendment or a renewal is a new
contract linked to the old one (`previous_id`, `relation`); the old one becomes
`superseded` and keeps its history. Every saved change rebuilds the payment schedule
(inventory.services.schedule). The JSON of a contract carries its arrears and the
normative annual rent, both computed by the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from inventory.models import (
    ContractBasis,
    ContractObject,
    ContractRelation,
    ContractStatus,
    LandUse,
    LeaseContract,
    Lessee,
    RentPeriod,
)
from inventory.services import schedule
from inventory.services.anomalies.engine import recheck_record
from inventory.services.errors import Conflict, ValidationError
from inventory.services.permissions import Actor
from inventory.services.records import fields, references, search
from inventory.services.records.common import Kind, check_version, flush, iso, like_any, number
from inventory.services.records.contract_objects import object_keys, parse_objects, reuse
from inventory.services.records.descriptor import Field, plain_json
from inventory.services.records.money import arrears, rent_norm

#: Status changes a PATCH may make; `superseded` only comes from amend/renew.
TRANSITIONS = {
    ContractStatus.DRAFT: {ContractStatus.ACTIVE},
    ContractStatus.ACTIVE: {ContractStatus.EXPIRED, ContractStatus.TERMINATED},
}


#: Contract statuses, bases and rent periods in words.
STATUS_LABELS = {
    "draft": _l("Draft"),
    "active": _l("Active"),
    "expired": _l("Expired"),
    "terminated": _l("Terminated"),
    "superseded": _l("Superseded"),
}

FIELDS = (
    Field(
        "number",
        _l("Contract number"),
        required=True,
        max_length=60,
        listed=1,
        sort=LeaseContract.number,
        public=True,
        synonyms=(
            "номер договора",
            "№ договора",
            "келишимдин номери",
            "договор",
            "номер",
            "номер дог.",
            "келишим №",
        ),
    ),
    Field(
        "signed_on",
        _l("Signed on"),
        "date",
        public=True,
        synonyms=(
            "дата договора",
            "дата заключения",
            "дата подписания",
            "дата заключения договора",
            "келишим түзүлгөн күнү",
        ),
    ),
    Field(
        "lessee_id",
        _l("Lessee"),
        "record",
        required=True,
        record="lessees",
        filter="lessee_id",
        import_as="lessee_key",
        import_label=_l("Lessee's register key"),
        # A register names the lessee by name and ИНН instead (imports.kinds.leases).
        import_required=False,
        synonyms=("код арендатора", "ключ арендатора"),
    ),
    Field(
        "lessee", _l("Lessee"), "shown", listed=2, sort=Lessee.name, computed=True, importable=False
    ),
    # The lessee as a register writes it, for imports only: matched to a lessee of the
    # municipality or created (imports.kinds.register_lessees); no attribute of the
    # contract, so neither the API nor the form has it.
    Field(
        "lessee_name",
        _l("Lessee's name"),
        writable=False,
        form=False,
        computed=True,
        synonyms=(
            "арендатор",
            "наименование арендатора",
            "арендатор (наименование)",
            "фио арендатора",
            "наименование",
            "ижарачы",
            "ижарачынын аталышы",
        ),
    ),
    Field(
        "lessee_inn",
        _l("Lessee's INN"),
        writable=False,
        form=False,
        computed=True,
        synonyms=("инн", "инн арендатора", "инн/пин", "ижарачынын инн", "ижарачынын ИНН"),
    ),
    Field(
        "start_date",
        _l("Start"),
        "date",
        required=True,
        public=True,
        synonyms=(
            "дата начала",
            "начало",
            "срок с",
            "дата начала аренды",
            "начало аренды",
            "башталышы",
        ),
    ),
    Field(
        "end_date",
        _l("End"),
        "date",
        required=True,
        listed=3,
        sort=LeaseContract.end_date,
        public=True,
        synonyms=(
            "дата окончания",
            "окончание",
            "срок до",
            "срок по",
            "дата окончания аренды",
            "окончание аренды",
            "аякташы",
        ),
    ),
    Field(
        "contracted_use",
        _l("Contracted use"),
        "code",
        reference=LandUse,
        column="contracted_use_id",
        public=True,
        description="land use code",
        synonyms=(
            "цель аренды",
            "назначение",
            "целевое назначение",
            "вид деятельности",
            "цель использования",
            "максаттуу багыты",
        ),
    ),
    Field(
        "rent_amount",
        _l("Rent, som"),
        "decimal",
        required=True,
        positive=False,
        listed=4,
        sort=LeaseContract.rent_amount,
        public=True,
        synonyms=(
            "арендная плата",
            "сумма аренды",
            "ижара акысы",
            "арендная плата, сом/год",
            "арендная плата в год",
            "годовая арендная плата",
            "сумма в год",
            "арендная плата, сом",
        ),
    ),
    Field(
        "rent_period",
        _l("Rent period"),
        "choice",
        enum=RentPeriod,
        public=True,
        values={"year": _l("per year"), "month": _l("per month")},
        synonyms=("период",),
    ),
    Field(
        "annual_rent",
        _l("Annual rent, som"),
        "shown",
        shows="decimal",
        importable=False,
        public=True,
    ),
    Field(
        "leased_area",
        _l("Leased area, m²"),
        "decimal",
        public=True,
        synonyms=(
            "арендуемая площадь",
            "площадь аренды",
            "арендуемая площадь, м²",
            "ижарага алынган аянт",
        ),
    ),
    Field(
        "basis",
        _l("Basis"),
        "choice",
        required=True,
        enum=ContractBasis,
        public=True,
        values={"auction": _l("E-auction (resolution №142)"), "decision": _l("Direct decision")},
        synonyms=("основание", "основание договора", "негиз"),
    ),
    Field(
        "basis_ref",
        _l("Basis reference (decision №)"),
        max_length=300,
        public=True,
        synonyms=("реквизиты основания", "номер решения"),
    ),
    Field(
        "status",
        _l("Status"),
        "choice",
        enum=ContractStatus,
        values=STATUS_LABELS,
        fixed=("superseded",),
        listed=5,
        sort=LeaseContract.status,
        public=True,
        synonyms=("статус", "состояние", "абалы"),
    ),
    Field(
        "terminated_on", _l("Terminated on"), "date", public=True, synonyms=("дата расторжения",)
    ),
    Field(
        "previous_id",
        _l("Previous contract"),
        "record",
        record="contracts",
        writable=False,
        import_as="previous_number",
        import_label=_l("Previous contract number"),
        synonyms=("предыдущий договор",),
    ),
    Field(
        "relation",
        _l("Relation to the previous contract"),
        "choice",
        enum=ContractRelation,
        writable=False,
        values={"amendment": _l("Amendment"), "renewal": _l("Renewal")},
    ),
    Field(
        "objects",
        _l(
            "Leased objects: parcel identification code or building inventory "
            "number, and the area leased"
        ),
        "objects",
        public=True,
        synonyms=(
            "объекты",
            "объект",
            "объект аренды",
            "объекты аренды",
            "кадастровый номер",
            "кад. номер",
            "идентификационный код",
            "код участка",
            "инвентарный номер",
            "ижара объектиси",
        ),
    ),
    Field("note", _l("Note"), "textarea", synonyms=("примечание",)),
)

#: Terms copied from the old contract into an amendment or renewal unless the client
#: sends new ones: every term but its number, status and objects.
_COPIED = tuple(
    f.attribute
    for f in FIELDS
    if f.accepted and f.type != "objects" and f.name not in ("number", "status", "terminated_on")
)


class Contracts(Kind):
    model = LeaseContract
    table = "lease_contract"
    name = "contracts"
    title = _l("Contracts")
    one = _l("Contract")
    fields = FIELDS
    searched = "contract number or lessee name"
    newest_first = LeaseContract.id.desc()
    children = (("contract_object", "contract_id"),)

    def select(self) -> sa.Select:
        return sa.select(LeaseContract).join(LeaseContract.lessee)

    def search(self, q: str):
        return sa.or_(
            like_any(q, LeaseContract.number, Lessee.name, Lessee.inn),
            search.with_objects_matching(q),
        )

    def prepare(
        self,
        session: so.Session,
        actor: Actor,
        c: LeaseContract,
        data: Mapping[str, Any],
        creating: bool,
    ) -> list[dict[str, Any]]:
        _check_status(c, creating)
        # Before the objects: no hints about another city's records (records.references).
        references.require(session, "lessees", c.lessee_id, c.municipality_id, "lessee_id")
        if "objects" in data:
            before = object_keys(c.objects) if not creating else None
            c.objects = reuse(c.objects, parse_objects(session, c.municipality_id, data["objects"]))
            if before is not None and before != object_keys(c.objects):
                # The contract row itself must change so that its version moves on:
                # another officer's stale save of the objects is then a conflict.
                c.updated_at = dt.datetime.now(dt.UTC)
        return []

    def after_write(self, session: so.Session, c: LeaseContract) -> None:
        schedule.rebuild(session, [c.id])
        session.expire(c, ["schedule"])

    def update(self, session, actor, record_id, data, settings=None):
        c = self.load(session, actor, record_id)
        if c.status == ContractStatus.SUPERSEDED:
            raise Conflict(
                "this contract was superseded by an amendment or renewal; change "
                "the newer contract",
                field="status",
            )
        return super().update(session, actor, record_id, data, settings)

    def to_json(self, session: so.Session, c: LeaseContract) -> dict[str, Any]:
        return {
            "id": c.id,
            "municipality": c.municipality.slug,
            **plain_json(self.fields, c),
            "lessee": {"id": c.lessee.id, "name": c.lessee.name, "kind": c.lessee.kind.value},
            "objects": [
                {
                    "parcel_id": o.parcel_id,
                    "building_id": o.building_id,
                    "ident_code": o.parcel.ident_code if o.parcel else None,
                    "inventory_number": o.building.inventory_number if o.building else None,
                    "leased_area": number(o.leased_area),
                }
                for o in c.objects
            ],
            "arrears": arrears(session, c.id),
            "rent_norm": rent_norm(session, c.id),
            "version": c.version,
            "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at),
            "archived_at": iso(c.archived_at),
        }

    def successor(
        self,
        session: so.Session,
        actor: Actor,
        record_id: int,
        data: Mapping[str, Any],
        relation: ContractRelation,
        settings: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A new contract continuing this one; the old one becomes superseded. Both are
        re-checked with `settings`, as after any edit.

        An amendment takes effect on its `start_date` (default today) and the old
        contract's schedule stops the day before; a renewal starts the day after the old
        end unless told otherwise and needs a new `end_date`. Terms not sent are copied.
        """
        old = self.load(session, actor, record_id)
        self.begin_write(session, actor, old.municipality_id)
        if not isinstance(data, Mapping):
            raise ValidationError("expected a JSON object")
        check_version(old, data.get("version"))
        allowed = (
            {ContractStatus.ACTIVE}
            if relation == ContractRelation.AMENDMENT
            else {ContractStatus.ACTIVE, ContractStatus.EXPIRED}
        )
        if old.status not in allowed:
            raise Conflict(
                "a %(status)s contract cannot get a %(relation)s",
                field="status",
                status=old.status.value,
                relation=relation.value,
            )
        spec = {k: v for k, v in self.spec.items() if k not in ("status", "terminated_on")}
        values = fields.parse(
            session,
            data,
            spec,
            required=("number",) + (("end_date",) if relation == ContractRelation.RENEWAL else ()),
            ignore=("version", "objects"),
        )
        new = LeaseContract(
            municipality_id=old.municipality_id,
            previous_id=old.id,
            relation=relation,
            status=ContractStatus.ACTIVE,
        )
        for name in _COPIED:
            setattr(new, name, getattr(old, name))
        new.start_date = (
            dt.date.today()
            if relation == ContractRelation.AMENDMENT
            else old.end_date + dt.timedelta(days=1)
        )
        for name, value in values.items():
            setattr(new, self.renamed.get(name, name), value)
        new.objects = (
            parse_objects(session, old.municipality_id, data["objects"])
            if "objects" in data
            else [
                ContractObject(
                    parcel_id=o.parcel_id, building_id=o.building_id, leased_area=o.leased_area
                )
                for o in old.objects
            ]
        )
        if relation == ContractRelation.AMENDMENT:
            if not old.start_date < new.start_date <= old.end_date:
                raise ValidationError(
                    "an amendment takes effect within the old term", field="start_date"
                )
            old.terminated_on = new.start_date - dt.timedelta(days=1)
        old.status = ContractStatus.SUPERSEDED
        # The lessee and objects sent must be of the old contract's municipality.
        self.check_references(session, new)
        session.add(new)
        flush(session)
        schedule.rebuild(session, [old.id, new.id])
        recheck_record(session, old, settings)  # covers the new one: they share objects
        recheck_record(session, new, settings)
        session.refresh(new)
        return self.to_json(session, new)


def may_change(old: ContractStatus | str, new: ContractStatus | str) -> bool:
    """Whether an edit (a PATCH, a form, an import updating a contract) may take a
    contract from status `old` to `new`: TRANSITIONS, or no change."""
    old, new = ContractStatus(old), ContractStatus(new)
    return old == new or new in TRANSITIONS.get(old, set())


def _check_status(c: LeaseContract, creating: bool) -> None:
    history = sa.inspect(c).attrs.status.history
    new = c.status or ContractStatus.DRAFT
    if creating:
        if new not in (ContractStatus.DRAFT, ContractStatus.ACTIVE):
            raise ValidationError("a new contract is a draft or active", field="status")
    elif history.deleted and history.deleted[0] != new:
        old = ContractStatus(history.deleted[0])
        if not may_change(old, new):
            raise ValidationError(
                "a contract cannot go from %(old)s to %(new)s",
                field="status",
                old=old.value,
                new=new.value,
            )
    if new == ContractStatus.TERMINATED and c.terminated_on is None:
        c.terminated_on = dt.date.today()


kind = Contracts()
