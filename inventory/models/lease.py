"""Leasing: lessees, lease contracts with their objects, payment schedules and payments."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Area, Base, Versioned, enum_column
from inventory.models.municipality import Municipality
from inventory.models.property import Building, Parcel
from inventory.models.reference import LandUse


class LesseeKind(enum.StrEnum):
    LEGAL_ENTITY = "legal_entity"
    #: An individual entrepreneur (ИП / жеке ишкер): a natural person trading under a
    #: name. The trade name is public; the personal ИНН, contacts and documents are not.
    INDIVIDUAL_ENTREPRENEUR = "individual_entrepreneur"
    INDIVIDUAL = "individual"  # a private person: never shown in public


class Lessee(Versioned, Base):
    """A lessee (ижарачы / арендатор).

    For a private individual, name, contacts and document are personal data: every public
    output shows "private individual" instead (see inventory.services.privacy). An
    individual entrepreneur is a natural person too: its trade name is shown, its ИНН
    (a personal number: sex and birth date), contacts and document never are.
    """

    __tablename__ = "lessee"
    __table_args__ = (
        sa.CheckConstraint(r"inn IS NULL OR inn ~ '^\d{14}$'", name="inn_14_digits"),
        sa.CheckConstraint(
            "kind <> 'legal_entity' OR inn IS NOT NULL", name="legal_entity_has_inn"
        ),
        # A registered entrepreneur trades under its personal ИНН: 1 or 2 (the sex) first.
        sa.CheckConstraint(
            "kind <> 'individual_entrepreneur' OR inn ~ '^[12]'",
            name="entrepreneur_has_personal_inn",
        ),
        sa.UniqueConstraint("municipality_id", "external_key", name="uq_lessee_external_key"),
        sa.Index(
            "uq_lessee_inn",
            "municipality_id",
            "inn",
            unique=True,
            postgresql_where=sa.text("inn IS NOT NULL"),
        ),
        sa.Index(
            "ix_lessee_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
        # A parcel tile reads the lessee of each leased parcel from the index alone (0028).
        sa.Index("ix_lessee_id_kind_name", "id", postgresql_include=["kind", "name"]),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("municipality.id"), index=True)
    #: The key the office's own register uses for this lessee (kept for re-imports).
    external_key: so.Mapped[str | None] = so.mapped_column(sa.String(60))
    kind: so.Mapped[LesseeKind] = so.mapped_column(enum_column(LesseeKind, "lessee_kind"))
    name: so.Mapped[str] = so.mapped_column(sa.String(300))
    inn: so.Mapped[str | None] = so.mapped_column(sa.String(14))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(60))
    email: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    address: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    document: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    #: Whom the office calls about the lease (a company's director or accountant).
    contact_person: so.Mapped[str | None] = so.mapped_column(sa.String(200))

    municipality: so.Mapped[Municipality] = so.relationship()


class ContractStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    SUPERSEDED = "superseded"  # replaced by an amendment or a renewal


class ContractBasis(enum.StrEnum):
    AUCTION = "auction"  # e-auction under Government resolution №142 of 29.03.2019
    DECISION = "decision"  # a direct decision, with its number in basis_ref


class RentPeriod(enum.StrEnum):
    YEAR = "year"
    MONTH = "month"


class ContractRelation(enum.StrEnum):
    AMENDMENT = "amendment"
    RENEWAL = "renewal"


class LeaseContract(Versioned, Base):
    """A lease contract (ижара келишими / договор аренды) on one or more objects."""

    __tablename__ = "lease_contract"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "number", name="uq_lease_contract_number"),
        sa.CheckConstraint("end_date > start_date", name="end_after_start"),
        sa.CheckConstraint("rent_amount >= 0", name="rent_not_negative"),
        sa.CheckConstraint("leased_area IS NULL OR leased_area > 0", name="leased_area_positive"),
        sa.CheckConstraint(
            "(previous_id IS NULL) = (relation IS NULL)", name="relation_with_previous"
        ),
        sa.CheckConstraint(
            "status <> 'terminated' OR terminated_on IS NOT NULL", name="terminated_has_date"
        ),
        sa.Index(
            "ix_lease_contract_number_trgm",
            "number",
            postgresql_using="gin",
            postgresql_ops={"number": "gin_trgm_ops"},
        ),
        # A parcel tile finds a lease's lessee from the index alone (migration 0028).
        sa.Index("ix_lease_contract_id_lessee", "id", postgresql_include=["lessee_id"]),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    municipality_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("municipality.id"), index=True)
    number: so.Mapped[str] = so.mapped_column(sa.String(60))
    signed_on: so.Mapped[dt.date | None]
    lessee_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("lessee.id"), index=True)
    start_date: so.Mapped[dt.date]
    end_date: so.Mapped[dt.date] = so.mapped_column(index=True)
    contracted_use_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("land_use.id"))
    rent_amount: so.Mapped[Decimal]
    rent_period: so.Mapped[RentPeriod] = so.mapped_column(
        enum_column(RentPeriod, "rent_period"), server_default=RentPeriod.YEAR.value
    )
    leased_area: so.Mapped[Decimal | None] = so.mapped_column(Area)
    basis: so.Mapped[ContractBasis] = so.mapped_column(enum_column(ContractBasis, "contract_basis"))
    basis_ref: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    status: so.Mapped[ContractStatus] = so.mapped_column(
        enum_column(ContractStatus, "contract_status"),
        server_default=ContractStatus.DRAFT.value,
        index=True,
    )
    terminated_on: so.Mapped[dt.date | None]
    previous_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("lease_contract.id"), index=True
    )
    relation: so.Mapped[ContractRelation | None] = so.mapped_column(
        enum_column(ContractRelation, "contract_relation")
    )
    note: so.Mapped[str | None] = so.mapped_column(sa.Text)

    municipality: so.Mapped[Municipality] = so.relationship()
    lessee: so.Mapped[Lessee] = so.relationship()
    contracted_use: so.Mapped[LandUse | None] = so.relationship()
    previous: so.Mapped[LeaseContract | None] = so.relationship(remote_side=[id])
    objects: so.Mapped[list[ContractObject]] = so.relationship(
        back_populates="contract", cascade="all, delete-orphan"
    )
    schedule: so.Mapped[list[ScheduledPayment]] = so.relationship(
        back_populates="contract",
        cascade="all, delete-orphan",
        order_by="ScheduledPayment.due_date",
    )

    @property
    def annual_rent(self) -> Decimal:
        return self.rent_amount * 12 if self.rent_period == RentPeriod.MONTH else self.rent_amount


class ContractObject(Base):
    """One parcel or building leased under a contract, with the area leased of it."""

    __tablename__ = "contract_object"
    __table_args__ = (
        sa.CheckConstraint("num_nonnulls(parcel_id, building_id) = 1", name="one_object"),
        sa.UniqueConstraint(
            "contract_id",
            "parcel_id",
            "building_id",
            name="uq_contract_object",
            postgresql_nulls_not_distinct=True,
        ),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contract_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("lease_contract.id", ondelete="CASCADE"), index=True
    )
    parcel_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("parcel.id"), index=True)
    building_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("building.id"), index=True)
    leased_area: so.Mapped[Decimal | None] = so.mapped_column(Area)

    contract: so.Mapped[LeaseContract] = so.relationship(back_populates="objects")
    parcel: so.Mapped[Parcel | None] = so.relationship()
    building: so.Mapped[Building | None] = so.relationship()


class ScheduledPayment(Base):
    """An instalment the lessee owes by a date; the schedule follows from rent and term."""

    __tablename__ = "scheduled_payment"
    __table_args__ = (
        sa.CheckConstraint("amount >= 0", name="amount_not_negative"),
        sa.UniqueConstraint("contract_id", "due_date", name="uq_scheduled_payment_due"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contract_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("lease_contract.id", ondelete="CASCADE"), index=True
    )
    due_date: so.Mapped[dt.date]
    amount: so.Mapped[Decimal]

    contract: so.Mapped[LeaseContract] = so.relationship(back_populates="schedule")


class Payment(Versioned, Base):
    """A payment (төлөм / платёж) received against a contract."""

    __tablename__ = "payment"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        # Re-importing a bank statement must not count a payment twice.
        sa.Index(
            "uq_payment_natural_key",
            "contract_id",
            "paid_on",
            "amount",
            sa.text("coalesce(reference, '')"),
            unique=True,
        ),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contract_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("lease_contract.id", ondelete="CASCADE"), index=True
    )
    paid_on: so.Mapped[dt.date]
    amount: so.Mapped[Decimal]
    reference: so.Mapped[str | None] = so.mapped_column(sa.String(120))

    contract: so.Mapped[LeaseContract] = so.relationship()
