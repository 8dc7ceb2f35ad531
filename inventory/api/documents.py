"""Documents in the API: list (items, total, filters), upload (multipart), read, fetch
the file, change the title or public flag, archive. One call to
inventory.services.documents each."""

from __future__ import annotations

from flask import g, jsonify, request, send_file

from inventory.api import bp
from inventory.database import get_session
from inventory.services import documents
from inventory.services.errors import ValidationError
from inventory.services.records.paging import Filters
from inventory.web import uploads


@bp.get("/documents")
def list_documents():
    filters = Filters.from_args(request.args)
    page = documents.list_documents(
        get_session(), g.actor, request.args, filters.limit, filters.offset
    )
    return jsonify(page.as_json())


@bp.post("/documents")
def upload_document():
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError("required: the file (multipart field 'file')", field="file")
    form = request.form
    data = {name: form[name] for name in ("owner_kind", "kind", "title") if name in form}
    owner_id = form.get("owner_id", "")
    data["owner_id"] = int(owner_id) if owner_id.isdecimal() else owner_id or None
    if "public" in form:
        data["public"] = form["public"].lower() in ("1", "true", "yes", "on")
    session = get_session()
    document = documents.add_document(
        session,
        g.actor,
        data,
        upload.stream.read(documents.MAX_BYTES + 1),
        upload.filename,
        uploads.folder(),
    )
    session.commit()
    return jsonify(documents.document_json(document)), 201


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    return jsonify(documents.document_json(documents.load(get_session(), g.actor, document_id)))


@bp.get("/documents/<int:document_id>/file")
def document_file(document_id: int):
    path, document = documents.document_file(get_session(), g.actor, document_id, uploads.folder())
    response = send_file(
        path,
        mimetype=document.content_type,
        download_name=document.original_name or path.name,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.patch("/documents/<int:document_id>")
def update_document(document_id: int):
    session = get_session()
    document = documents.update(session, g.actor, document_id, request.get_json(silent=True))
    session.commit()
    return jsonify(documents.document_json(document))


@bp.delete("/documents/<int:document_id>")
def archive_document(document_id: int):
    session = get_session()
    document = documents.archive(session, g.actor, document_id)
    session.commit()
    return jsonify(documents.document_json(document))
