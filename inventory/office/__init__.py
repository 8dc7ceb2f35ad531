"""The officers' workspace (`/office`): lists, record pages, forms, the parcel map
editor, inspections from a phone and the import wizard.

Signed-in users only. Officers see and change their own municipality, auditors read
everything and change nothing, administrators do all; the rules are applied by the
services (inventory.services.permissions), never here. Views parse forms into plain
values, call a service, and render or redirect.
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, request, url_for
from flask_login import current_user

from inventory.services.errors import Forbidden
from inventory.services.permissions import Actor, can_write

bp = Blueprint("office", __name__, url_prefix="/office")


@bp.before_request
def require_sign_in():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    g.actor = Actor.of(current_user, source="ui")
    return None


def may_edit(actor: Actor) -> bool:
    """Whether the actor may change any record at all (auditors may not)."""
    return can_write(actor, actor.municipality_id)


def require_editor() -> None:
    """Refuse pages that exist only to change records (forms, uploads) to read-only roles.

    The services refuse the save itself too; this keeps auditors from forms they could
    never submit.
    """
    if not may_edit(g.actor):
        raise Forbidden("auditors may read records but not change them")


@bp.context_processor
def _office_context():
    actor = g.get("actor")
    return {"office_can_edit": actor is not None and may_edit(actor)}


@bp.app_template_filter("office_value")
def _office_value(value, field: str):
    from inventory.office.forms import value_label

    return value_label(field, value)


@bp.after_request
def no_store(response):
    # Office pages show records and carry a CSRF token and a script nonce: never cached.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


from inventory.office import (  # noqa: E402,F401  (they attach to bp)
    auctions,
    campaigns,
    contracts,
    digest,
    import_values,
    importing,
    inspections,
    lists,
    parcels,
    pickers,
    reports,
    statements,
    synonyms,
    users,
    views,
)
