"""Contract pages beyond the generic form: amend, renew, lifecycle, recording payments."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from inventory.database import get_session
from inventory.models import ContractRelation
from inventory.office import bp, forms
from inventory.services.errors import Conflict, ValidationError
from inventory.services.records.contract_objects import resolve_objects
from inventory.services.records.contracts import kind as contracts
from inventory.services.records.payments import kind as payments
from inventory.web.saving import commit_or_flash
from inventory.web.settings import settings

#: Fields an amendment or renewal form offers; the rest is copied from the old contract.
SUCCESSOR_FIELDS = [
    ("number", "text"),
    ("start_date", "date"),
    ("end_date", "date"),
    ("rent_amount", "number"),
    ("leased_area", "number"),
    ("note", "textarea"),
    ("objects", "objects"),
]


def _version(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdecimal() else None


@bp.route("/contracts/<int:record_id>/<any(amend, renew):action>", methods=["GET", "POST"])
def successor(record_id: int, action: str):
    session = get_session()
    old = contracts.load(session, g.actor, record_id)
    contracts.begin_write(session, g.actor, old.municipality_id)
    relation = ContractRelation.AMENDMENT if action == "amend" else ContractRelation.RENEWAL
    error = None
    if request.method == "POST":
        data = {
            name: (request.form.get(name) or "").strip().replace(",", ".") or None
            for name, _kind in SUCCESSOR_FIELDS
            if name != "objects"
        }
        data = {k: v for k, v in data.items() if v is not None}
        data["version"] = _version(request.form.get("version"))
        try:
            if "objects" in request.form:  # the objects as the form now lists them
                data["objects"] = resolve_objects(
                    session, old.municipality_id, forms.parse_objects(request.form)
                )
            new = contracts.successor(
                session, g.actor, record_id, data, relation, settings=settings()
            )
        except (ValidationError, Conflict) as exc:
            session.rollback()
            error = exc
        else:
            session.commit()
            flash(_("The new contract was made; the old one is kept as superseded."))
            return redirect(url_for("office.record", name="contracts", record_id=new["id"]))
    rows = (
        forms.submitted_objects(request.form)
        if request.method == "POST"
        else contracts.to_json(session, old)["objects"]
    )
    return render_template(
        "office/successor.html",
        old=old,
        action=action,
        object_rows=forms.object_rows(rows),
        fields=SUCCESSOR_FIELDS,
        labels=forms.LABELS,
        error=error,
        data=request.form if request.method == "POST" else {},
        title=_("Amend contract") if action == "amend" else _("Renew contract"),
    ), (error.status if error else 200)


@bp.post("/contracts/<int:record_id>/status")
def change_status(record_id: int):
    session = get_session()
    change = {
        "status": request.form.get("status"),
        "version": _version(request.form.get("version")),
    }
    commit_or_flash(
        session,
        lambda: contracts.update(session, g.actor, record_id, change, settings=settings()),
        done=_("Saved."),
    )
    return redirect(url_for("office.record", name="contracts", record_id=record_id), 303)


@bp.post("/contracts/<int:record_id>/payments")
def record_payment(record_id: int):
    session = get_session()
    contracts.load(session, g.actor, record_id)

    def record() -> None:
        data = forms.to_data("payments", request.form, creating=True, skip=("contract_id",))
        data["contract_id"] = record_id
        payments.create(session, g.actor, data, settings=settings())

    commit_or_flash(session, record, done=_("The payment was recorded."))
    return redirect(url_for("office.record", name="contracts", record_id=record_id), 303)
