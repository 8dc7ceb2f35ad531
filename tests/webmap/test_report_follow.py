"""The resident's private follow link: shown once after sending, it tells that one
report's status (received, published, rejected with the reason) in the resident's
language; a wrong token is 404 and nothing stores the token itself."""

from __future__ import annotations

import re
import time

import sqlalchemy as sa

from inventory import models as m
from inventory.services.reports import follow
from tests import factories as f
from webmap.forms import start_token

CONTACT = "+996 700 999 888"


def _send(app, client, parcel, lang="en", text="Киоск на газоне"):
    data = {
        "text": text,
        "contact": CONTACT,
        "website": "",
        "parcel": parcel.id,
        "started": start_token(app.config["SECRET_KEY"], time.time() - 60),
    }
    response = client.post(f"/report?lang={lang}", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    sent = client.get(response.headers["Location"])
    html = sent.get_data(as_text=True)
    link = re.search(r'class="follow-link">([^<]+)<', html)[1]
    assert "no-store" in sent.headers["Cache-Control"]
    return link.replace("&amp;", "&"), html


def _newest(db_session) -> m.CitizenReport:
    return db_session.scalars(
        sa.select(m.CitizenReport).order_by(m.CitizenReport.id.desc())
    ).first()


def test_the_thank_you_page_shows_a_link_whose_token_is_stored_only_as_a_hash(
    app, client, db_session
):
    parcel = f.parcel(db_session)
    link, _ = _send(app, client, parcel)
    token = re.search(r"/report/follow/([^?]+)", link)[1]
    report = _newest(db_session)
    assert len(token) >= 40 and token not in (report.follow_token_hash or "")
    assert report.follow_token_hash == follow.token_hash(token)
    page = client.get(link)
    assert page.status_code == 200 and "Received" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    # Shown once: the session no longer carries the token.
    assert "/report/follow/" not in client.get("/report/sent?lang=en").get_data(as_text=True)


def test_the_link_follows_publication_and_rejection_with_the_reason(app, client, db_session):
    parcel = f.parcel(db_session)
    link, _ = _send(app, client, parcel)
    report = _newest(db_session)
    from inventory.services.public import reports

    reports.publish(db_session, report.id, None)
    page = client.get(link).get_data(as_text=True)
    assert "Published" in page and parcel.ident_code in page and CONTACT not in page
    reports.reject(db_session, report.id, None, note="Участок уже проверен инспекцией")
    page = client.get(link).get_data(as_text=True)
    assert "Rejected" in page and "Участок уже проверен инспекцией" in page


def test_the_link_shows_nothing_about_other_reports(app, client, db_session):
    parcel = f.parcel(db_session)
    first, _ = _send(app, client, parcel, text="первый отчёт о киоске")
    second, _ = _send(app, client, parcel, text="второй отчёт о заборе")
    first_report = _newest(db_session)  # the second one
    from inventory.services.public import reports

    reports.reject(db_session, first_report.id, None, note="причина второго")
    page = client.get(first).get_data(as_text=True)
    assert "причина второго" not in page and "Received" in page
    assert "второй отчёт" not in page and "первый отчёт" not in page
    assert "причина второго" in client.get(second).get_data(as_text=True)


def test_the_link_speaks_the_residents_language(app, client, db_session):
    parcel = f.parcel(db_session)
    link, html = _send(app, client, parcel, lang="ru")
    assert "lang=ru" in link and "Следите" in html
    assert "Поступило" in client.get(link).get_data(as_text=True)


def test_a_wrong_token_is_not_found(app, client, db_session):
    parcel = f.parcel(db_session)
    link, _ = _send(app, client, parcel)
    token = re.search(r"/report/follow/([^?]+)", link)[1]
    assert client.get("/report/follow/" + token[:-1] + "x").status_code == 404
    assert client.get("/report/follow/" + "a" * 43).status_code == 404
    assert client.get("/report/follow/" + "a" * 300).status_code == 404
