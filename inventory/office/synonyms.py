"""`/office/synonyms`: the names of reference values, and the other forms offices write
them in, kept by an administrator.

A value (a land use, a parcel status, a lessee kind, ...) is known by its code and its
ky/ru/en names; a synonym adds a form a register writes ("ИЖС", "свободен", "ОсОО"), and
every import, API filter and API write understands it at once
(inventory.services.reference_names).
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from inventory.database import get_session
from inventory.i18n import current_language
from inventory.models import Role
from inventory.office import bp
from inventory.services import reference_names
from inventory.services.errors import DomainError, Forbidden
from inventory.services.records import KINDS

#: The domains an administrator edits, by name, with their titles.
TITLES = {
    "land_use": _l("Land uses"),
    "land_category": _l("Land categories"),
    "parcel_status": _l("Parcel statuses"),
    "contract_status": _l("Contract statuses"),
    "lessee_kind": _l("Lessee kinds"),
    "contract_basis": _l("Contract bases"),
    "rent_period": _l("Rent periods"),
    "building_kind": _l("Building kinds"),
    "contract_relation": _l("Contract relations"),
}


def domains() -> dict[str, object]:
    """The first descriptor field of each domain, by domain name, in TITLES' order."""
    found: dict[str, object] = {}
    for kind in KINDS.values():
        for f in kind.fields:
            domain = reference_names.domain_of(f)
            if domain is not None:
                found.setdefault(domain, f)
    return {name: found[name] for name in TITLES if name in found}


def _require_admin() -> None:
    if g.actor.role != Role.ADMIN:
        raise Forbidden("only administrators may change the names of reference values")


@bp.get("/synonyms")
def synonyms():
    _require_admin()
    fields = domains()
    domain = request.args.get("domain", "land_use")
    if domain not in fields:
        domain = "land_use"
    return _page(fields, domain)


def _page(fields: dict, domain: str, error: DomainError | None = None):
    session = get_session()
    field = fields[domain]
    kept: dict[str, list] = {}
    for row in reference_names.synonyms(session, domain):
        kept.setdefault(row.code, []).append(row)
    page = render_template(
        "office/synonyms.html",
        titles=TITLES,
        domain=domain,
        options=reference_names.Names(session).options(field),
        kept=kept,
        language=current_language(),
        error=error,
    )
    return page, error.status if error else 200


@bp.post("/synonyms")
def add_synonym():
    _require_admin()
    fields = domains()
    domain = request.form.get("domain", "")
    if domain not in fields:
        domain = "land_use"
    session = get_session()
    try:
        reference_names.add_synonym(
            session,
            fields[domain],
            request.form.get("code", ""),
            request.form.get("synonym", ""),
            g.actor.user_id,
        )
    except DomainError as exc:
        session.rollback()
        return _page(fields, domain, exc)
    session.commit()
    flash(_("The synonym was added."))
    return redirect(url_for("office.synonyms", domain=domain), 303)


@bp.post("/synonyms/<int:synonym_id>/remove")
def remove_synonym(synonym_id: int):
    _require_admin()
    session = get_session()
    reference_names.remove_synonym(session, synonym_id)
    session.commit()
    flash(_("The synonym was removed."))
    domain = request.form.get("domain", "land_use")
    return redirect(url_for("office.synonyms", domain=domain), 303)
