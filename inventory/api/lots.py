"""Auction lots in the API: the usual list, create, read, change, archive and history,
and the auction's result. Every route is one call to inventory.services.auctions."""

from __future__ import annotations

from functools import partial

from flask import g

from inventory.api import bp
from inventory.api.routes import (
    _saved,
    archive_record,
    create_record,
    get_record,
    list_records,
    record_history,
    update_record,
)
from inventory.api.tokens import json_body
from inventory.database import get_session
from inventory.services.auctions import results
from inventory.services.auctions.lots import kind as lots
from inventory.web.settings import settings

for _rule, _view, _methods in (
    ("", list_records, ["GET"]),
    ("", create_record, ["POST"]),
    ("/<int:record_id>", get_record, ["GET"]),
    ("/<int:record_id>", update_record, ["PATCH"]),
    ("/<int:record_id>", archive_record, ["DELETE"]),
    ("/<int:record_id>/history", record_history, ["GET"]),
):
    bp.add_url_rule(
        f"/lots{_rule}",
        f"lots_{_view.__name__}",
        partial(_view, lots),
        methods=_methods,
    )


@bp.post("/lots/<int:record_id>/result")
def record_lot_result(record_id: int):
    """The winner and final rent (the contract follows), or {"no_bids": true}."""
    return _saved(
        results.record_result(get_session(), g.actor, record_id, json_body(), settings()), 201
    )
