"""Auctions in the workspace: the lots, a new lot from a free parcel or premise, a lot's
page with its result (the winner's contract follows, or no bids) or its cancellation.

Every page parses the form into plain values and calls inventory.services.auctions; the
services decide who may do what (auditors read, officers act in their own city).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from inventory.database import get_session
from inventory.models import LandUse, Municipality
from inventory.office import bp, require_editor
from inventory.services.auctions import results
from inventory.services.auctions.lots import STATUS_LABELS, object_by_code
from inventory.services.auctions.lots import kind as lots
from inventory.services.errors import ValidationError
from inventory.services.records.common import municipality_id
from inventory.services.records.paging import Filters
from inventory.web.saving import commit_or_flash
from inventory.web.settings import settings

PAGE_SIZE = 50
_LOT_FORM = (
    "number",
    "use",
    "leased_area",
    "starting_rent",
    "term_months",
    "conditions",
    "announced_on",
    "auction_date",
    "platform_ref",
)
_RESULT_FORM = (
    "final_rent",
    "bidders",
    "protocol_number",
    "protocol_date",
    "protocol_url",
    "contract_number",
    "start_date",
)


def _form_values(names: tuple[str, ...]) -> dict:
    """The filled form fields as the service takes them: whole numbers as ints."""
    values = {}
    for name in names:
        raw = request.form.get(name, "").strip()
        if raw:
            whole = name in ("term_months", "bidders") and raw.isdecimal()
            values[name] = int(raw) if whole else raw
    return values


@bp.get("/auctions")
def auctions():
    filters = Filters.from_args(request.args)
    filters.limit = PAGE_SIZE
    page = lots.list(get_session(), g.actor, filters)
    return render_template(
        "office/auctions/list.html", page=page, statuses=STATUS_LABELS, status=filters.status
    )


@bp.route("/auctions/new", methods=["GET", "POST"])
def new_lot():
    require_editor()
    session = get_session()
    uses = session.scalars(sa.select(LandUse).order_by(LandUse.code)).all()
    places = session.scalars(sa.select(Municipality).order_by(Municipality.slug)).all()
    form = request.form if request.method == "POST" else request.args
    if request.method == "POST":
        created = {}

        def work():
            data = _form_values(_LOT_FORM)
            if request.form.get("municipality"):
                data["municipality"] = request.form["municipality"]
            code = request.form.get("object", "").strip()
            if not code:
                raise ValidationError("required", field="object")
            place = municipality_id(session, data.get("municipality"), g.actor)
            data.update(object_by_code(session, place, code))
            created.update(lots.create(session, g.actor, data, settings()))

        if commit_or_flash(session, work, done=_l("The lot is announced.")):
            return redirect(url_for("office.lot", lot_id=created["id"]))
    page = render_template(
        "office/auctions/new.html", form=form, uses=uses, places=places, today=dt.date.today()
    )
    # A refused form comes back filled in, as a 400 (the reason is flashed on it).
    return page, 400 if request.method == "POST" else 200


@bp.get("/auctions/<int:lot_id>")
def lot(lot_id: int):
    session = get_session()
    found = lots.get(session, g.actor, lot_id)
    return render_template(
        "office/auctions/lot.html",
        lot=found,
        statuses=STATUS_LABELS,
        history=lots.history(session, g.actor, lot_id),
    )


@bp.post("/auctions/<int:lot_id>/result")
def lot_result(lot_id: int):
    require_editor()
    session = get_session()
    version = request.form.get("version", "")
    record = lots.load(session, g.actor, lot_id)  # 404, or 403 for another city's lot
    lots.begin_write(session, g.actor, record.municipality_id)

    def work():
        data = {"version": int(version) if version.isdecimal() else version}
        if request.form.get("outcome") == "no_bids":
            data.update(_form_values(("protocol_number", "protocol_date", "protocol_url")))
            results.record_no_bids(session, g.actor, lot_id, data)
            return
        data.update(_form_values(_RESULT_FORM))
        data["winner_id"] = results.winner_by_ref(session, record, request.form.get("winner", ""))
        results.record_winner(session, g.actor, lot_id, data, settings())

    commit_or_flash(session, work, done=_l("The result is recorded."))
    return redirect(url_for("office.lot", lot_id=lot_id))


@bp.post("/auctions/<int:lot_id>/cancel")
def cancel_lot(lot_id: int):
    require_editor()
    session = get_session()
    record = lots.load(session, g.actor, lot_id)  # 404, or 403 for another city's lot
    lots.begin_write(session, g.actor, record.municipality_id)
    version = request.form.get("version", "")

    def work():
        lots.update(
            session,
            g.actor,
            lot_id,
            {"version": int(version) if version.isdecimal() else version, "status": "cancelled"},
            settings(),
        )

    commit_or_flash(session, work, done=_l("The lot is cancelled."))
    return redirect(url_for("office.lot", lot_id=lot_id))
