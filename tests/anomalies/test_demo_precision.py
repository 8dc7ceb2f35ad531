"""The engine finds exactly the anomalies planted in the demo data: no misses, no
false alarms (data/demo/planted.csv is the answer key)."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from inventory import models as m
from inventory.services import demo
from inventory.services.anomalies import RULES, scan
from inventory.services.anomalies.messages import describe

PLANTED = demo.DEMO_DIR / "planted.csv"
MANIFEST = demo.DEMO_DIR / "manifest.json"

pytestmark = pytest.mark.slow


def _planted() -> set[tuple[str, str, str]]:
    with PLANTED.open(encoding="utf-8", newline="") as handle:
        return {(r["rule"], r["object_kind"], r["object_key"]) for r in csv.DictReader(handle)}


def _found(session) -> set[tuple[str, str, str]]:
    """(rule, object kind, natural key) of every open flag, keys as planted.csv has them."""
    codes = dict(session.execute(sa.select(m.Parcel.id, m.Parcel.ident_code)).all())
    numbers = dict(session.execute(sa.select(m.LeaseContract.id, m.LeaseContract.number)).all())
    keys = {"parcel": codes, "contract": numbers}
    found = set()
    for rule, fingerprint in session.execute(
        sa.select(m.AnomalyFlag.rule, m.AnomalyFlag.fingerprint).where(
            m.AnomalyFlag.status == m.FlagStatus.OPEN
        )
    ):
        parts = [part.split(":") for part in fingerprint.split("|")]
        key = "|".join(sorted(keys[kind][int(i)] for kind, i in parts))
        found.add((rule, RULES[rule].object_kind, key))
    return found


@pytest.mark.skipif(
    not PLANTED.exists(),
    reason="data/demo/planted.csv is not generated yet (python -m demogen --out data/demo)",
)
def test_the_scan_finds_exactly_the_planted_anomalies_of_the_demo(app, db_session):
    as_of = dt.date.fromisoformat(json.loads(MANIFEST.read_text())["as_of"])
    demo.load_demo(db_session, password=None)

    scan(db_session, as_of=as_of)

    planted, found = _planted(), _found(db_session)
    missed, false_alarms = sorted(planted - found), sorted(found - planted)
    assert not missed and not false_alarms, (
        f"{len(missed)} missed, e.g. {missed[:10]}; "
        f"{len(false_alarms)} false alarms, e.g. {false_alarms[:10]}"
    )

    # Every flag's sentence is made from its evidence in the reader's language: for each
    # rule, Russian and Kyrgyz sentences exist, differ from the English one and carry the
    # flag's object, so none falls back to the stored English text.
    flags = db_session.scalars(sa.select(m.AnomalyFlag)).all()
    with app.app_context():
        for rule in {f.rule for f in flags}:
            flag = next(f for f in flags if f.rule == rule)
            with force_locale("en"):
                english = describe(flag.rule, flag.evidence, "FALLBACK")
            assert english != "FALLBACK", (rule, flag.evidence)
            for language in ("ru", "ky"):
                with force_locale(language):
                    text = describe(flag.rule, flag.evidence, "FALLBACK")
                assert text not in ("FALLBACK", english), (rule, language, text)
                key = str(flag.evidence.get("parcel") or flag.evidence.get("contract") or "")
                assert key in text, (rule, language, text)
