"""Links to the page being shown with some of its query changed (language switch,
sorting, paging).

The query is never passed to `url_for` as keyword arguments: there, names such as
`endpoint`, `_method`, `_scheme` or `_external` are url_for's own, and a visitor's
`?endpoint=x` used to make every page fail. Here the query is only ever encoded.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import request, url_for


def this_url(
    endpoint: str | None = None, path_args: dict[str, Any] | None = None, /, **changes: Any
) -> str:
    """The path of `endpoint` (this page by default) with this request's path variables
    and `path_args`, and this request's query with `changes` applied; a change to None
    removes the parameter. Always a relative link: the Host header never enters it."""
    if endpoint:
        path = url_for(endpoint, **{**(request.view_args or {}), **(path_args or {})})
    else:
        path = request.path
    query = request.args.to_dict(flat=False)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = [str(value)]
    return path + ("?" + urlencode(query, doseq=True) if query else "")
