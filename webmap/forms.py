"""The citizen report form: CSRF token (Flask-WTF), a honeypot and a signed start time.

Spam defences that need no captcha (and so no third-party request from the page):
- `website` is a field people never see (hidden by CSS, not by `type=hidden`, which bots
  skip); a filled one marks a bot;
- `started` is the time the form was shown, signed with the app's secret; a form sent
  back sooner than the minimum fill time was not typed by a person.
"""

from __future__ import annotations

import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import FloatField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from inventory.services.public.reports import MAX_CONTACT, MAX_TEXT

#: Seconds a person needs at least to describe a problem (REPORT_MIN_FILL_SECONDS overrides).
MIN_FILL_SECONDS = 3
_SALT = "citizen-report-form"


class ReportForm(FlaskForm):
    text = TextAreaField(
        _l("What did you see?"),
        validators=[
            DataRequired(message=_l("Please describe what you saw.")),
            Length(max=MAX_TEXT, message=_l("The description is too long.")),
        ],
    )
    photo = FileField(_l("Photo (optional: JPEG, PNG or WebP, up to 5 MB)"))
    contact = StringField(
        _l("Your phone or e-mail (optional, seen only by the office)"),
        validators=[Optional(), Length(max=MAX_CONTACT, message=_l("The contact is too long."))],
    )
    parcel = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    lon = FloatField(widget=HiddenField.widget, validators=[Optional()])
    lat = FloatField(widget=HiddenField.widget, validators=[Optional()])
    started = HiddenField()
    website = StringField(_l("Leave this field empty"))  # the honeypot


def start_token(secret: str, now: float | None = None) -> str:
    """The signed time the form is shown at (tests pass an earlier `now`)."""
    return URLSafeSerializer(secret, salt=_SALT).dumps(time.time() if now is None else now)


def filled_too_fast(
    secret: str, token: str | None, minimum: float, now: float | None = None
) -> bool:
    """True unless `token` is a valid start time at least `minimum` seconds ago.

    A missing or forged token counts as too fast: only bots send those.
    """
    try:
        started = float(URLSafeSerializer(secret, salt=_SALT).loads(token or ""))
    except (BadSignature, TypeError, ValueError):
        return True
    return (time.time() if now is None else now) - started < minimum
