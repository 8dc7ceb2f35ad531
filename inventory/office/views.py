"""Lists, record pages, create/edit forms and "restore this version", for every kind."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from inventory.audit.labels import SEVERITY_LABELS
from inventory.database import get_session
from inventory.i18n import current_language
from inventory.models import Municipality, Role
from inventory.office import bp, forms, related, require_editor
from inventory.services import localtime
from inventory.services.errors import Conflict, DomainError, ValidationError
from inventory.services.permissions import can_write, require_write
from inventory.services.records import KINDS, Filters
from inventory.services.records.browse import (
    EXTRA,
    SORTS,
    archived_choice,
    browse,
    filter_fields,
    filter_value,
)
from inventory.services.records.common import municipality_id
from inventory.services.records.contract_objects import resolve_objects
from inventory.services.records.restore import history, restore
from inventory.services.records.statement import statement
from inventory.services.tasks import task_list
from inventory.web.saving import commit_or_flash
from inventory.web.settings import settings

TITLES = {name: kind.title for name, kind in KINDS.items()}
#: What one record of each kind is called, on its page.
ONE = {name: kind.one for name, kind in KINDS.items()}
#: Columns of each list, in the order the kinds' descriptors give (the first links to
#: the record).
COLUMNS = {
    name: [f.name for f in sorted((f for f in kind.fields if f.listed), key=lambda f: f.listed)]
    for name, kind in KINDS.items()
}
#: The statuses a list can be filtered by.
STATUSES = {
    name: [m.value for m in kind.field("status").enum]
    for name, kind in KINDS.items()
    if kind.field("status") is not None
}
PAGE_SIZE = 25


def _kind(name: str):
    if name not in KINDS:
        abort(404)
    return KINDS[name]


def _municipalities():
    return get_session().scalars(sa.select(Municipality).order_by(Municipality.slug)).all()


@bp.get("/")
def home():
    """The workspace: the user's task list (inventory.services.tasks) and the records."""
    tasks = task_list(get_session(), g.actor, localtime.today())
    return render_template(
        "office/home.html", titles=TITLES, tasks=tasks, severity_names=SEVERITY_LABELS
    )


@bp.get("/<name>/")
def records(name: str):
    kind = _kind(name)
    args = request.args
    page = int(args["page"]) if args.get("page", "").isdecimal() and int(args["page"]) > 0 else 1
    filters = Filters.from_args(
        {k: v for k, v in args.items() if k in ("municipality", "status", "q", "archived")}
    )
    filters.limit, filters.offset = PAGE_SIZE, (page - 1) * PAGE_SIZE
    for key, f in filter_fields(kind).items():
        value = filter_value(f, args.get(key, ""))
        if value is not None:
            filters.extra[key] = value
    sort = args.get("sort") if args.get("sort") in SORTS[name] else "id"
    descending = args.get("dir", "desc") != "asc"
    archived = archived_choice(args.get("archived"))
    result = browse(get_session(), g.actor, name, kind, filters, sort, descending, archived)
    return render_template(
        "office/list.html",
        name=name,
        title=TITLES[name],
        page=result,
        rows=[related.flat(name, item) for item in result.items],
        columns=COLUMNS[name],
        sorts=SORTS[name],
        sort=sort,
        descending=descending,
        page_number=page,
        page_size=PAGE_SIZE,
        statuses=STATUSES.get(name, []),
        extra=EXTRA.get(name, {}),
        municipalities=_municipalities(),
        labels=forms.LABELS,
    )


@bp.get("/<name>/<int:record_id>")
def record(name: str, record_id: int):
    kind = _kind(name)
    session = get_session()
    obj = kind.load(session, g.actor, record_id)
    item = kind.to_json(session, obj)
    return render_template(
        "office/record.html",
        name=name,
        title=ONE[name],
        item=item,
        fields=related.flat(name, item),
        record_id=record_id,
        related=related.related(session, g.actor, name, obj),
        history=history(session, g.actor, kind, record_id),
        own_table=kind.table,
        writable=can_write(g.actor, kind.municipality_of(session, obj)),
        map_html=related.record_map(session, name, obj, item),
        labels=forms.LABELS,
        section_titles={**TITLES, "photos": _l("Photos")},
        statement=statement(session, record_id) if name == "contracts" else None,
    )


def _render_form(
    name: str,
    data: dict,
    record_id: int | None,
    error: DomainError | None,
    status: int = 200,
    saved: dict | None = None,
):
    session = get_session()
    language = current_language()
    options = {
        f.name: forms.choices(session, f, language)
        for f in forms.form_fields(name)
        if f.type in ("choice", "code")
    }
    conflict = isinstance(error, Conflict) and (error.field == "version")
    objects = data.get("objects")
    fields = forms.fields_of(name, record_id is None)
    return render_template(
        "office/form.html",
        name=name,
        title=TITLES[name],
        data=data,
        record_id=record_id,
        fields=fields,
        picked=forms.picked_labels(session, g.actor, data, fields),
        options=options,
        error=error,
        conflict=conflict,
        object_rows=forms.object_rows(objects if isinstance(objects, list) else []),
        labels=forms.LABELS,
        municipalities=_municipalities(),
        saved=saved,
        pick_municipality=record_id is None
        and KINDS[name].has_municipality
        and g.actor.role == Role.ADMIN,
    ), status


@bp.route("/<name>/new", methods=["GET", "POST"])
def create(name: str):
    kind = _kind(name)
    require_editor()
    if request.method == "GET":
        data = dict(request.args)
        if "object_ref" in data:  # "New contract for this parcel": its first leased object
            data["objects"] = [{"ref": data.pop("object_ref")}]
        return _render_form(name, data, None, None)
    session = get_session()
    try:
        data = forms.to_data(name, request.form, creating=True)
        if kind.has_municipality and request.form.get("municipality"):
            data["municipality"] = request.form["municipality"]
        if "objects" in data:
            place = municipality_id(session, data.get("municipality"), g.actor)
            require_write(g.actor, place)  # no hints about another city's codes
            data["objects"] = resolve_objects(session, place, data["objects"])
        created = kind.create(session, g.actor, data, settings=settings())
    except (ValidationError, Conflict) as exc:
        session.rollback()
        return _render_form(name, _resubmitted(), None, exc, exc.status)
    get_session().commit()
    flash(_("Saved."))
    return redirect(url_for("office.record", name=name, record_id=created["id"]))


@bp.route("/<name>/<int:record_id>/edit", methods=["GET", "POST"])
def edit(name: str, record_id: int):
    kind = _kind(name)
    session = get_session()
    obj = kind.load(session, g.actor, record_id)
    # Refuse the form itself, not only its submission, to officers of another city and
    # to auditors.
    kind.begin_write(session, g.actor, kind.municipality_of(session, obj))
    current = related.form_values(name, kind.to_json(session, obj))
    if request.method == "GET":
        return _render_form(name, current, record_id, None)
    skip = ("contract_id",) if name == "payments" else ()
    try:
        data = forms.to_data(name, request.form, creating=False, skip=skip)
        if "objects" in data:
            data["objects"] = resolve_objects(session, obj.municipality_id, data["objects"])
        kind.update(session, g.actor, record_id, data, settings=settings())
    except (ValidationError, Conflict) as exc:
        session.rollback()
        submitted = _resubmitted()
        if isinstance(exc, Conflict):
            # Show what is saved now next to what the officer typed; keep their text.
            submitted["version"] = request.form.get("version")
            return render_template_conflict(name, record_id, submitted, exc)
        return _render_form(name, submitted, record_id, exc, exc.status)
    session.commit()
    flash(_("Saved."))
    return redirect(url_for("office.record", name=name, record_id=record_id))


def _resubmitted() -> dict:
    """What the officer sent, to show in the form again."""
    submitted = dict(request.form)
    if "objects" in request.form:
        submitted["objects"] = forms.submitted_objects(request.form)
    return submitted


def render_template_conflict(name: str, record_id: int, submitted: dict, exc: Conflict):
    """The form again with the officer's input, and the values saved meanwhile."""
    saved = related.form_values(name, KINDS[name].get(get_session(), g.actor, record_id))
    return _render_form(name, submitted, record_id, exc, 409, saved=saved)


@bp.post("/<name>/<int:record_id>/restore/<int:change_id>")
def restore_version(name: str, record_id: int, change_id: int):
    kind = _kind(name)
    raw = request.form.get("version", "")
    session = get_session()
    version = int(raw) if raw.isdecimal() else None
    restored = commit_or_flash(
        session,
        lambda: restore(session, g.actor, kind, record_id, change_id, version, settings()),
        done=_("The earlier version was restored as a new change."),
        refused=_l("Not restored: %(reason)s"),
    )
    return redirect(
        url_for("office.record", name=name, record_id=record_id), 302 if restored else 303
    )


@bp.route("/<name>/<int:record_id>/archive", methods=["GET", "POST"])
def archive(name: str, record_id: int):
    """Ask, then archive: the record leaves the lists (and the public map); its history
    stays, and restoring an earlier version brings it back."""
    kind = _kind(name)
    session = get_session()
    obj = kind.load(session, g.actor, record_id)
    kind.begin_write(session, g.actor, kind.municipality_of(session, obj))
    item = related.flat(name, kind.to_json(session, obj))
    if request.method == "GET":
        return render_template(
            "office/archive.html", name=name, title=ONE[name], record_id=record_id, fields=item
        )
    raw = request.form.get("version", "")

    def archive_it() -> None:
        if not raw.isdecimal():  # the page always sends it: archive what the officer saw
            raise ValidationError("required: the version you loaded", field="version")
        kind.archive(session, g.actor, record_id, int(raw), settings=settings())

    commit_or_flash(
        session,
        archive_it,
        done=_("Archived: hidden from the lists, its history kept."),
        refused=_l("Not archived: %(reason)s"),
    )
    return redirect(url_for("office.record", name=name, record_id=record_id), 303)
