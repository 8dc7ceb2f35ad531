"""Review campaigns in the workspace: the campaigns with their progress, opening one
(administrators), a campaign's progress by officer and its contracts, and one
contract's review page with everything prefilled and the decision form. Documents are
uploaded here too, for a campaign or for the reviewed contract.

Rights are the services' (inventory.services.campaigns, inventory.services.documents).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, redirect, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l

from inventory.database import get_session
from inventory.models import EconomicZone, Municipality, Role, User
from inventory.office import bp
from inventory.services import documents
from inventory.services.campaigns import figures, opening, reviewing
from inventory.services.errors import Conflict, ValidationError
from inventory.web import uploads
from inventory.web.saving import commit_or_flash
from inventory.web.settings import settings

PAGE_SIZE = 50
OUTCOME_LABELS = {
    "pending": _l("To review"),
    "kept": _l("Kept as is"),
    "amended": _l("Amended"),
    "terminated": _l("Terminated"),
    "court": _l("Sent to court"),
}
SCOPE_LABELS = {"active": _l("All active contracts"), "flagged": _l("Contracts with open flags")}
DOCUMENT_KIND_LABELS = {
    "contract_scan": _l("Contract scan"),
    "council_decision": _l("Council decision"),
    "auction_protocol": _l("Auction protocol"),
    "review_note": _l("Review note"),
    "other": _l("Other document"),
}

#: Words for the fields a refusal names, on the campaign forms.
FIELD_LABELS = {
    "municipality": _l("Municipality"),
    "title": _l("Title"),
    "deadline": _l("Deadline"),
    "scope": _l("Contracts"),
    "rule": _l("Only contracts flagged by the rule"),
    "zone": _l("Only contracts in the economic zone"),
    "officers": _l("Share the contracts evenly between"),
    "outcome": _l("Outcome"),
    "rent_amount": _l("New rent, som"),
    "rent_period": _l("Rent period"),
    "end_date": _l("New end of term"),
    "contracted_use": _l("New contracted use (code)"),
    "start_date": _l("Takes effect on"),
    "number": _l("Amendment number"),
    "terminated_on": _l("Terminated on"),
    "reason": _l("Reason"),
    "note": _l("Note"),
    "file": _l("Document"),
}

#: Record pages that list and take documents, by the kind's name in URLs.
DOCUMENT_OWNERS = {
    "parcels": "parcel",
    "buildings": "building",
    "lessees": "lessee",
    "contracts": "contract",
}


@bp.context_processor
def _documents_context():
    """`documents_of(owner_kind, id)` for record pages (the page has checked that the
    reader may see the record), with the words for document kinds."""
    return {
        "document_owners": DOCUMENT_OWNERS,
        "document_kind_labels": DOCUMENT_KIND_LABELS,
        "campaign_field_labels": FIELD_LABELS,
        "documents_of": lambda kind, owner_id: documents.attached(get_session(), kind, owner_id),
    }


@bp.get("/campaigns")
def campaigns():
    page = opening.list_campaigns(get_session(), g.actor, limit=PAGE_SIZE)
    return render_template("office/campaigns/list.html", page=page, is_admin=_is_admin())


def _is_admin() -> bool:
    return g.actor.role == Role.ADMIN


@bp.route("/campaigns/new", methods=["GET", "POST"])
def new_campaign():
    session = get_session()
    opening.require_admin(g.actor)
    error = None
    if request.method == "POST":
        form = request.form
        data = {
            k: form.get(k, "").strip()
            for k in ("municipality", "title", "deadline", "scope", "rule")
            if form.get(k, "").strip()
        }
        if form.get("zone", "").isdecimal():
            data["zone"] = int(form["zone"])
        officers = [int(v) for v in form.getlist("officers") if v.isdecimal()]
        if officers:
            data["officers"] = officers
        try:
            campaign = opening.open_campaign(session, g.actor, data)
        except (ValidationError, Conflict) as exc:
            session.rollback()
            error = exc
        else:
            session.commit()
            return redirect(url_for("office.campaign", campaign_id=campaign.id), 303)
    from inventory.services.anomalies import RULES

    return render_template(
        "office/campaigns/new.html",
        error=error,
        form=request.form,
        municipalities=session.scalars(sa.select(Municipality).order_by(Municipality.slug)).all(),
        zones=session.scalars(
            sa.select(EconomicZone).order_by(EconomicZone.municipality_id, EconomicZone.code)
        ).all(),
        officers=session.scalars(
            sa.select(User)
            .where(User.active.is_(True), User.role.in_([Role.OFFICER, Role.ADMIN]))
            .order_by(User.username)
        ).all(),
        rules=sorted(RULES),
        scopes=SCOPE_LABELS,
    ), (error.status if error else 200)


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int):
    session = get_session()
    found = opening.load(session, g.actor, campaign_id)
    outcome = request.args.get("outcome") or None
    mine = request.args.get("mine") == "1"
    reviews = reviewing.list_reviews(
        session,
        g.actor,
        campaign_id,
        outcome=outcome if outcome in OUTCOME_LABELS else None,
        officer_id=g.actor.user_id if mine else None,
        limit=500,
    )
    officers = _assignable(session, found.municipality_id) if _is_admin() else []
    return render_template(
        "office/campaigns/campaign.html",
        campaign=figures.campaign_json(session, found, officers=True),
        reviews=reviews,
        outcomes=OUTCOME_LABELS,
        outcome=outcome,
        mine=mine,
        is_admin=_is_admin(),
        officers=officers,
        documents=documents.attached(session, "campaign", campaign_id),
        document_kinds=DOCUMENT_KIND_LABELS,
    )


def _assignable(session, municipality_id: int) -> list[User]:
    """Who may be given the campaign's contracts: its city's officers and admins."""
    return session.scalars(
        sa.select(User)
        .where(
            User.active.is_(True),
            sa.or_(User.municipality_id == municipality_id, User.role == Role.ADMIN),
            User.role.in_([Role.OFFICER, Role.ADMIN]),
        )
        .order_by(User.username)
    ).all()


@bp.post("/campaigns/<int:campaign_id>/assign")
def assign_campaign(campaign_id: int):
    """Share the contracts evenly between the officers ticked, or give the one contract
    of `review` to `officer` (by hand, from its review page)."""
    session = get_session()
    form = request.form
    officers = [int(v) for v in form.getlist("officers") if v.isdecimal()]
    if form.get("review", "").isdecimal():
        data = {
            "reviews": [int(form["review"])],
            "officer": int(form["officer"]) if form.get("officer", "").isdecimal() else None,
        }
    else:
        data = {"officers": officers, "only_unassigned": form.get("only_unassigned") == "1"}
    commit_or_flash(
        session,
        lambda: opening.assign(session, g.actor, campaign_id, data),
        done=_l("The contracts were shared between the officers."),
    )
    if form.get("review", "").isdecimal():
        return redirect(
            url_for("office.review", campaign_id=campaign_id, review_id=int(form["review"])), 303
        )
    return redirect(url_for("office.campaign", campaign_id=campaign_id), 303)


@bp.post("/campaigns/<int:campaign_id>/close")
def close_campaign(campaign_id: int):
    session = get_session()
    commit_or_flash(
        session,
        lambda: opening.close_campaign(session, g.actor, campaign_id),
        done=_l("The campaign is closed; its figures are on the public page."),
    )
    return redirect(url_for("office.campaign", campaign_id=campaign_id), 303)


#: Fields of the decision form, as the service takes them.
DECISION_FIELDS = (
    "outcome",
    "note",
    "rent_amount",
    "rent_period",
    "end_date",
    "contracted_use",
    "start_date",
    "number",
    "terminated_on",
    "reason",
)


@bp.route("/campaigns/<int:campaign_id>/reviews/<int:review_id>", methods=["GET", "POST"])
def review(campaign_id: int, review_id: int):
    session = get_session()
    error = None
    if request.method == "POST":
        form = request.form
        data = {
            # "12 500,00" as offices write amounts: no group spaces, a decimal point.
            k: "".join(form.get(k, "").split()).replace(",", ".")
            if k == "rent_amount"
            else form.get(k, "").strip()
            for k in DECISION_FIELDS
            if form.get(k, "").strip()
        }
        data["version"] = int(form["version"]) if form.get("version", "").isdecimal() else None
        files = [f for f in request.files.getlist("files") if f and f.filename]
        try:
            decided = reviewing.decide(
                session, g.actor, campaign_id, review_id, data, settings=settings()
            )
            for upload in files:
                documents.add_document(
                    session,
                    g.actor,
                    {
                        "owner_kind": "contract",
                        "owner_id": decided.contract_id,
                        "kind": "review_note",
                    },
                    upload.stream.read(documents.MAX_BYTES + 1),
                    upload.filename,
                    uploads.folder(),
                )
        except (ValidationError, Conflict) as exc:
            session.rollback()
            error = exc
        else:
            session.commit()
            return redirect(url_for("office.campaign", campaign_id=campaign_id), 303)
    page = reviewing.prefilled(session, g.actor, campaign_id, review_id)
    found = opening.load(session, g.actor, campaign_id)
    return render_template(
        "office/campaigns/review.html",
        review=page,
        officers=_assignable(session, found.municipality_id) if _is_admin() else [],
        campaign=figures.summary_json(found),
        outcomes=OUTCOME_LABELS,
        document_kinds=DOCUMENT_KIND_LABELS,
        error=error,
        form=request.form if request.method == "POST" else {},
    ), (error.status if error else 200)


@bp.post("/documents")
def upload_document():
    """Attach an uploaded file to the record the form names; back to `next`."""
    session = get_session()
    form = request.form
    upload = request.files.get("file")

    def store():
        if upload is None or not upload.filename:
            raise ValidationError("required: the file (multipart field 'file')", field="file")
        owner_id = form.get("owner_id", "")
        documents.add_document(
            session,
            g.actor,
            {
                "owner_kind": form.get("owner_kind"),
                "owner_id": int(owner_id) if owner_id.isdecimal() else None,
                "kind": form.get("kind"),
                "title": form.get("title") or None,
                "public": form.get("public") == "1",
            },
            upload.stream.read(documents.MAX_BYTES + 1),
            upload.filename,
            uploads.folder(),
        )

    commit_or_flash(session, store, done=_l("The document was attached."))
    target = form.get("next", "")
    return redirect(target if target.startswith("/office/") else url_for("office.home"), 303)


@bp.get("/documents/<int:document_id>/file")
def document_file(document_id: int):
    path, document = documents.document_file(get_session(), g.actor, document_id, uploads.folder())
    response = send_file(
        path, mimetype=document.content_type, download_name=document.original_name or path.name
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
