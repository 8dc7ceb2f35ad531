"""Search terms and free-text filters, bounded one way everywhere.

A `q` of a few thousand characters made a list of payments take 5.5 s (every trigram
of it is looked up); the public search cut its own at 100 characters, the lists had no
limit at all. Now every text a client filters or searches by passes `bounded()`: the
public search, the office and API lists, the audit's flag filters and the OGC
collections' property filters. Beyond MAX_TERM_LENGTH characters it is a clear 400 (a
form error on pages) naming the parameter, in the reader's language; so is a NUL
character, which PostgreSQL cannot take in text.
"""

from __future__ import annotations

from inventory.services.errors import ValidationError

#: The longest search term or text filter, in characters (codes, names, addresses and
#: contract numbers are all far shorter).
MAX_TERM_LENGTH = 200


def bounded(value: str | None, field: str = "q") -> str | None:
    """`value` stripped (None when blank), refused when longer than MAX_TERM_LENGTH
    characters or holding a NUL character; `field` names the parameter in the error."""
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > MAX_TERM_LENGTH:
        raise ValidationError(
            "at most %(max)s characters (this one has %(length)s)",
            field=field,
            max=MAX_TERM_LENGTH,
            length=len(text),
        )
    if "\0" in text:
        raise ValidationError("a NUL character cannot be searched for", field=field)
    return text or None
