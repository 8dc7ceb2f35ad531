"""Lines of bank and treasury statements that no contract matched, and their assignment
by hand: an officer names the contract (its number, or its lessee's name) and the line
becomes a payment of it, once.

Officers see and assign the lines of their own municipality; auditors see every line and
assign none; administrators do all (inventory.services.permissions).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models import LeaseContract, Lessee, Payment, StatementLine
from inventory.services import audit
from inventory.services.errors import Conflict, NotFound, ValidationError
from inventory.services.imports.kinds.register_lessees import normal_name
from inventory.services.imports.kinds.statement_matching import number_key
from inventory.services.permissions import Actor, readable_municipality, require_write

#: How a contract is written in the picker: "ОШ-116/2022 — ОсОО «Ак-Жол»".
SEPARATOR = " — "


def open_lines(session: so.Session, actor: Actor) -> list[StatementLine]:
    """The lines still to assign that the actor may see, oldest payment first."""
    query = sa.select(StatementLine).where(StatementLine.payment_id.is_(None))
    confined = readable_municipality(actor)
    if confined is not None:
        query = query.where(StatementLine.municipality_id == confined)
    return list(session.scalars(query.order_by(StatementLine.paid_on, StatementLine.id)))


def contract_choices(session: so.Session, municipality_ids: set[int]) -> dict[int, list[str]]:
    """For each municipality, its contracts as the picker offers them, newest first."""
    found: dict[int, list[str]] = {m: [] for m in municipality_ids}
    rows = session.execute(
        sa.select(LeaseContract.municipality_id, LeaseContract.number, Lessee.name)
        .join(Lessee, Lessee.id == LeaseContract.lessee_id)
        .where(
            LeaseContract.municipality_id.in_(municipality_ids),
            LeaseContract.archived_at.is_(None),
        )
        .order_by(LeaseContract.start_date.desc(), LeaseContract.number)
    )
    for place, number, name in rows:
        found[place].append(f"{number}{SEPARATOR}{name}")
    return found


def find_contract(session: so.Session, municipality_id: int, text: str) -> LeaseContract:
    """The contract an officer named: by its number (as offices write it: 116/2022 is
    116-2022), else by its lessee's name when that lessee has one contract in force."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("name the contract: its number or the lessee", field="contract")
    contracts = list(
        session.scalars(
            sa.select(LeaseContract)
            .join(Lessee, Lessee.id == LeaseContract.lessee_id)
            .where(
                LeaseContract.municipality_id == municipality_id,
                LeaseContract.archived_at.is_(None),
            )
            .options(so.contains_eager(LeaseContract.lessee))
        )
    )
    number = text.split(SEPARATOR)[0]
    by_number = [c for c in contracts if number_key(c.number) == number_key(number)]
    if len(by_number) == 1:
        return by_number[0]
    name = normal_name(text)
    of_lessee = [c for c in contracts if normal_name(c.lessee.name) == name]
    in_force = [c for c in of_lessee if c.status.value == "active"] or of_lessee
    if len(in_force) == 1:
        return in_force[0]
    if in_force:
        raise ValidationError(
            "the lessee has several contracts (%(numbers)s): choose one by its number",
            field="contract",
            numbers=", ".join(sorted(c.number for c in in_force)),
        )
    raise ValidationError(
        "no contract numbered or leased to '%(value)s' in this municipality",
        field="contract",
        value=text,
    )


def reference_of(line: StatementLine) -> str:
    """The payment's reference: the statement's document number, else the line's key
    (the same the import gives a line it matches)."""
    return line.document or f"#{line.line_key[:16]}"


def assign(session: so.Session, actor: Actor, line_id: int, contract: str) -> Payment:
    """Make the line a payment of the contract the officer named; a line is assigned
    once (another officer's earlier assignment is a conflict)."""
    line = session.get(StatementLine, line_id, with_for_update=True)
    if line is None:
        raise NotFound("no such statement line")
    require_write(actor, line.municipality_id)
    if line.payment_id is not None:
        raise Conflict("this line was already assigned to a contract", field="contract")
    target = find_contract(session, line.municipality_id, contract)
    audit.set_actor(session, actor.user_id, actor.source)
    reference = reference_of(line)
    session.execute(
        sa.text("""
        INSERT INTO payment (contract_id, paid_on, amount, reference)
        VALUES (:contract, :paid_on, :amount, :reference)
        ON CONFLICT (contract_id, paid_on, amount, coalesce(reference, '')) DO NOTHING"""),
        {
            "contract": target.id,
            "paid_on": line.paid_on,
            "amount": line.amount,
            "reference": reference,
        },
    )
    payment = session.scalars(
        sa.select(Payment).where(
            Payment.contract_id == target.id,
            Payment.paid_on == line.paid_on,
            Payment.amount == line.amount,
            sa.func.coalesce(Payment.reference, "") == reference,
        )
    ).one()
    line.payment_id = payment.id
    line.assigned_at = dt.datetime.now(dt.UTC)
    line.assigned_by = actor.user_id
    session.flush()
    return payment
