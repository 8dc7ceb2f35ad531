"""The import wizard: upload -> kind, CRS, encoding -> column mapping -> values (in
inventory.office.import_values) -> dry run -> commit.

The upload waits in UPLOAD_DIR/imports/<random token>/ between the steps; the token is
kept in the signed-in user's session, so nobody else can continue (or read) the import.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l

from inventory.database import get_session
from inventory.models import Role
from inventory.office import bp, forms, import_crs, import_progress, require_editor
from inventory.office.crs_names import crs_label, known_crs
from inventory.services.errors import DomainError
from inventory.services.imports import progress, wizard
from inventory.services.imports.safety import save_upload
from inventory.services.records import KINDS as RECORD_KINDS
from inventory.web.settings import settings
from inventory.web.uploads import imports_folder

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
ENCODINGS = ("utf-8", "cp1251", "cp866", "koi8-r")


#: What the wizard's "It holds" list calls each kind of file: a kind of record by its
#: list's title; a statement, which is no record of its own, by its name.
KIND_NAMES = {
    **{name: kind.title for name, kind in RECORD_KINDS.items()},
    "statements": _l("Bank and treasury statements"),
}


def _options() -> dict:
    return {
        "kinds": {kind: KIND_NAMES[kind] for kind in wizard.OFFICE_KINDS},
        "known_crs": known_crs(),
        "encodings": ENCODINGS,
        "pick_municipality": g.actor.role == Role.ADMIN,
    }


def _pending(token: str, page: bool = True) -> tuple[dict, Path]:
    """The upload `token` of the signed-in user and its file. For one that is done
    (imported), given up or never theirs, a look at a page of the wizard (a language
    link or the back button on a finished import) goes back to its start, with a word
    why; anything else, a form sent to it above all, gets 404."""
    pending = session.get("imports", {}).get(token)
    path = imports_folder() / token / pending["file"] if pending and _TOKEN.match(token) else None
    if path is None or not path.exists():
        if not page or request.method != "GET":
            abort(404)
        flash(_l("This file is no longer waiting: it was imported or given up. Upload it again."))
        language = request.args.get("lang")
        abort(redirect(url_for("office.import_start", **({"lang": language} if language else {}))))
    return pending, path


def _forget(token: str, path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)
    imports = dict(session.get("imports", {}))
    imports.pop(token, None)
    session["imports"] = imports


@bp.route("/import", methods=["GET", "POST"])
def import_start():
    require_editor()  # an import writes records: no page for read-only roles
    if request.method == "GET":
        return render_template("office/import_start.html", error=None, **_options())
    form = request.form
    try:
        options = {
            "kind": form.get("kind", ""),
            "municipality": form.get("municipality") or None,
            "crs": wizard.parse_crs(form.get("crs")),
            "encoding": wizard.parse_encoding(form.get("encoding")),
        }
        if options["kind"] not in wizard.OFFICE_KINDS:
            raise DomainError("choose what the file holds", field="kind")
        wizard.municipality_for(get_session(), g.actor, options["municipality"])
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise DomainError("choose a file", field="file")
        path = save_upload(
            upload.stream, upload.filename, imports_folder(), current_app.config["IMPORT_MAX_BYTES"]
        )
    except DomainError as exc:
        return render_template("office/import_start.html", error=exc, **_options()), exc.status
    token = path.parent.name
    session["imports"] = {
        **session.get("imports", {}),
        token: {**options, "file": path.name, "name": upload.filename},
    }
    return redirect(url_for("office.import_mapping", token=token), 303)


def file_options(pending: dict) -> dict:
    """How the pending upload is read and where it goes, as the wizard's services take
    it (the municipality, coordinate system, encoding and size limit chosen at upload)."""
    return {
        "municipality": pending["municipality"],
        "crs": pending["crs"],
        "encoding": pending["encoding"],
        "max_bytes": current_app.config["IMPORT_MAX_BYTES"],
    }


def _run(pending: dict, path: Path, **kwargs):
    # The app's settings: an import re-checks the anomaly flags of what it wrote. Each
    # step goes to the upload's folder, where the page polls it (import_progress).
    kwargs.setdefault("settings", settings())
    with progress.reporting(import_progress.writer(path.parent)):
        return wizard.import_for(
            get_session(),
            g.actor,
            pending["kind"],
            path,
            **file_options(pending),
            **kwargs,
        )


@bp.route("/import/<token>", methods=["GET", "POST"])
def import_mapping(token: str):
    require_editor()
    pending, path = _pending(token)
    db = get_session()
    try:
        found = wizard.inspect(
            db,
            g.actor,
            pending["kind"],
            path,
            **file_options(pending),
        )
    except DomainError as exc:
        if exc.field == "crs" and pending["crs"] is None:
            # No .prj: the coordinate systems that would put the rows in the
            # municipality, with their row counts, to choose from.
            found = import_crs.candidates_of(db, g.actor, pending, path)
            return render_template(
                "office/import_crs.html", token=token, pending=pending, error=exc, **found
            )
        _forget(token, path)
        return render_template("office/import_start.html", error=exc, **_options()), exc.status
    report = None
    mapping = found.mapping
    defaults: dict[str, str] = {}
    if request.method == "POST":
        # "—" (no column) is kept as "": the field stays unmapped instead of being
        # matched again by its synonyms.
        chosen = {f["name"]: request.form.get(f"col-{f['name']}", "") for f in found.fields}
        mapping = {k: (v if v in found.columns else "") for k, v in chosen.items()}
        # "Value for all rows" of a field the file has no column for (a register
        # without "basis"): run_import's defaults.
        defaults = {
            f["name"]: value
            for f in found.fields
            if (value := request.form.get(f"default-{f['name']}", "").strip())
        }
        if request.form.get("action") == "values":
            # The values step (inventory.office.import_values) runs with these columns.
            imports = dict(session.get("imports", {}))
            imports[token] = {**pending, "columns": mapping, "defaults": defaults}
            session["imports"] = imports
            return redirect(url_for("office.import_values", token=token), 303)
        commit = request.form.get("action") == "commit"
        report = _run(pending, path, columns=mapping, defaults=defaults, dry_run=not commit)
        if commit and report.ok:
            db.commit()
            _forget(token, path)
            return render_template(
                "office/import_done.html", report=report, labels=forms.IMPORT_LABELS
            )
        db.rollback()
    return render_template(
        "office/import_mapping.html",
        token=token,
        pending=pending,
        found=found,
        mapping=mapping,
        defaults=defaults,
        values=forms.VALUES,
        report=report,
        labels=forms.IMPORT_LABELS,
        known_crs=known_crs(),
        source_crs=crs_label(found.source_crs),
    )


@bp.post("/import/<token>/crs")
def import_crs_choice(token: str):
    """The coordinate system chosen for a file that does not say its own."""
    require_editor()
    pending, _ = _pending(token)
    try:
        crs = wizard.parse_crs(request.form.get("crs"))
    except DomainError:
        abort(400)
    imports = dict(session.get("imports", {}))
    imports[token] = {**pending, "crs": crs}
    session["imports"] = imports
    return redirect(url_for("office.import_mapping", token=token), 303)


@bp.get("/import/<token>/progress")
def import_progress_of(token: str):
    """How far the import or dry run of this file has got, for its page to show."""
    require_editor()
    _, path = _pending(token, page=False)
    return jsonify(import_progress.read(path.parent))
