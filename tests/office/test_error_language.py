"""A service's refusal reaches the officer in the language of the page; the API keeps
the English sentence."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from inventory.services.errors import Conflict, ValidationError

ENGLISH = "the identification code does not match the pattern of the municipality"


@pytest.mark.parametrize(
    "language, sentence",
    [
        ("ru", "идентификационный код не соответствует образцу муниципалитета"),
        ("ky", "идентификациялык код муниципалитеттин үлгүсүнө дал келбейт"),
    ],
)
def test_a_refused_parcel_form_speaks_the_officers_language(sign_in, language, sentence):
    answer = sign_in("officer_osh").post(
        f"/office/parcels/new?lang={language}", data={"ident_code": "not a code"}
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert sentence in page
    assert ENGLISH not in page


def test_a_message_is_english_with_its_parameters_and_without_a_translation(app):
    stale = Conflict(
        "this record was changed by someone else (version %(current)s, "
        "yours %(yours)s); reload it and apply your change again",
        field="version",
        current=3,
        yours=2,
    )
    untranslated = ValidationError("no frobnicator %(id)s in this municipality", id=7)
    # Outside a request: English, the parameters filled in.
    assert stale.localized() == stale.message == str(stale).removeprefix("field 'version': ")
    assert stale.message.startswith("this record was changed by someone else (version 3, yours 2)")
    with app.test_request_context(), force_locale("ru"):
        # The API, the logs and str() keep the English sentence in any language...
        assert stale.message.startswith("this record was changed by someone else (version 3,")
        # ...and a sentence the catalog does not know stays English on a page.
        assert untranslated.localized() == "no frobnicator 7 in this municipality"
        assert "%(" not in stale.localized() and "3" in stale.localized()
