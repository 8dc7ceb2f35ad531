"""The records' routes: the same six for every kind, each one call to a service.

GET /<kind> (list), POST /<kind> (create), GET|PATCH|DELETE /<kind>/<id> (read, change
with `version`, archive), GET /<kind>/<id>/history; contracts also have amend and renew.
"""

from __future__ import annotations

from functools import partial

from flask import g, jsonify, request

from inventory.api import bp
from inventory.api.openapi import document
from inventory.api.tokens import json_body
from inventory.database import get_session
from inventory.models import ContractRelation
from inventory.services.errors import ValidationError
from inventory.services.records import KINDS, Filters, Kind
from inventory.services.records.contracts import kind as contracts
from inventory.web.settings import settings


def _saved(body: dict, status: int = 200):
    """Commit what the service changed and answer with the record."""
    get_session().commit()
    return jsonify(body), status


def _version_arg() -> int | None:
    raw = request.args.get("version")
    if raw is None:
        return None
    if not raw.isdecimal():
        raise ValidationError("expected a whole number", field="version")
    return int(raw)


def list_records(kind: Kind):
    return jsonify(kind.list(get_session(), g.actor, Filters.from_args(request.args)).as_json())


def get_record(kind: Kind, record_id: int):
    return jsonify(kind.get(get_session(), g.actor, record_id))


def create_record(kind: Kind):
    return _saved(kind.create(get_session(), g.actor, json_body(), settings()), 201)


def update_record(kind: Kind, record_id: int):
    return _saved(kind.update(get_session(), g.actor, record_id, json_body(), settings()))


def archive_record(kind: Kind, record_id: int):
    return _saved(
        kind.archive(get_session(), g.actor, record_id, _version_arg(), settings=settings())
    )


def record_history(kind: Kind, record_id: int):
    return jsonify(items=kind.history(get_session(), g.actor, record_id))


for _name, _kind in KINDS.items():
    for _rule, _view, _methods in (
        ("", list_records, ["GET"]),
        ("", create_record, ["POST"]),
        ("/<int:record_id>", get_record, ["GET"]),
        ("/<int:record_id>", update_record, ["PATCH"]),
        ("/<int:record_id>", archive_record, ["DELETE"]),
        ("/<int:record_id>/history", record_history, ["GET"]),
    ):
        bp.add_url_rule(
            f"/{_name}{_rule}", f"{_name}_{_view.__name__}", partial(_view, _kind), methods=_methods
        )


@bp.post("/contracts/<int:record_id>/amend")
def amend_contract(record_id: int):
    return _saved(
        contracts.successor(
            get_session(), g.actor, record_id, json_body(), ContractRelation.AMENDMENT, settings()
        ),
        201,
    )


@bp.post("/contracts/<int:record_id>/renew")
def renew_contract(record_id: int):
    return _saved(
        contracts.successor(
            get_session(), g.actor, record_id, json_body(), ContractRelation.RENEWAL, settings()
        ),
        201,
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
