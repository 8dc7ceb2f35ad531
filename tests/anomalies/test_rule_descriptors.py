"""One descriptor per rule: its stored sentence, its translations, its name in the
workspace and its row in the README are all made from it, and agree."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask_babel import force_locale

from inventory import models as m
from inventory.audit.labels import RULE_LABELS
from inventory.cli import main
from inventory.config import PROJECT_ROOT
from inventory.services import demo
from inventory.services.anomalies import RULES, scan
from inventory.services.anomalies.messages import describe
from inventory.services.anomalies.rules import markdown_table
from inventory.services.anomalies.rules.sentences import Either, Field, Items, Sentence, number

MANIFEST = demo.DEMO_DIR / "manifest.json"


def _readme_table() -> str:
    """The table of rules in README.md's "## Anomaly checks"."""
    section = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split("## Anomaly checks")[1]
    lines = section.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("| rule |"))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    return "".join(lines[start:end])


def test_the_readme_table_of_rules_is_the_one_the_descriptors_make():
    assert _readme_table() == markdown_table(), "paste `inventory rules` into README.md"


def test_inventory_rules_prints_the_table():
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0, result.output
    assert result.output == markdown_table()
    assert "| `contract_ending_soon` | Contract ending soon | warning | an active contract " in (
        result.output
    )


def test_the_table_states_the_thresholds_in_force():
    table = markdown_table({"ANOMALY_ENDING_SOON_DAYS": 60, "ANOMALY_ARREARS_MIN_AMOUNT": 2500})
    assert "ending within 60 days" in table and "more than 2,500 som" in table


def test_every_rule_has_its_name_in_three_languages(app):
    assert list(RULE_LABELS) == list(RULES)
    with app.app_context():
        for language in ("ky", "ru"):
            with force_locale(language):
                for code, rule in RULES.items():
                    assert str(RULE_LABELS[code]) != rule.label, (language, code)


# -- A template renders alike in SQL and in Python ---------------------------------------

_EDGES = Sentence.of(
    "%(owed)s som (%(days)s d, %(ratio)s, %(zero)s) by '%(who)s'; %(use)s; %(kind)s; "
    "%(place)s; %(lease)s; %(list)s; 100 %%",
    owed=number("owed"),
    days=number("days"),
    ratio=number("ratio"),
    zero=number("zero"),
    use=Field("contracted_use", missing="no stated use"),
    kind=Field("kind", words=True),
    place=Field("municipality", localized=True),
    lease=Either("contract", then=Sentence.of("contract %(contract)s"), otherwise=Sentence.of("-")),
    list=Items("items", Sentence.of("%(key)s=%(m2)s m²", m2=number("area.m2")), "; "),
)
_EVIDENCE = {
    "owed": 1200.0,
    "days": 75,
    "ratio": 0.5,
    "zero": 0.0,
    "who": "Ж. Токтосунова's",
    "contracted_use": None,
    "kind": "water_protection",
    "municipality": {"en": "Osh", "ru": "Ош", "ky": "Ош"},
    "contract": None,
    "items": [{"key": "b", "area": {"m2": 10.25}}, {"key": "a", "area": {"m2": 3}}],
}


def _sql_rendering(session, sentence, evidence_sql: str) -> str:
    return session.scalar(
        sa.text(f"SELECT {sentence.sql('e.v')} FROM (SELECT CAST(:v AS jsonb) AS v) e"),
        {"v": evidence_sql},
    )


def test_a_template_renders_the_same_sentence_in_sql_and_in_python(db_session):
    # jsonb keeps the scale of numeric values (1200.00); Python reads them as floats.
    stored = json.dumps(_EVIDENCE).replace("1200.0", "1200.00").replace("0.5,", "0.50,")
    in_sql = _sql_rendering(db_session, _EDGES, stored)
    in_python = _EDGES.text(json.loads(stored), lambda s: s, "en")
    assert (
        in_sql
        == in_python
        == (
            "1200 som (75 d, 0.5, 0) by 'Ж. Токтосунова's'; no stated use; water protection; "
            "Osh; -; b=10.25 m²; a=3 m²; 100 %"
        )
    )
    with_contract = dict(_EVIDENCE, contract="ОШ-1")
    assert _EDGES.text(with_contract, lambda s: s, "ru").startswith("1200 som")
    assert "Ош; contract ОШ-1;" in _EDGES.text(with_contract, lambda s: s, "ru")
    assert "contract ОШ-1" in _sql_rendering(db_session, _EDGES, json.dumps(with_contract))


def test_a_flag_whose_evidence_lacks_a_value_shows_its_stored_sentence(app):
    with app.test_request_context():
        assert describe("arrears", {"contract": "ОШ-1"}, "stored") == "stored"
        assert describe("no_such_rule", {"contract": "ОШ-1"}, "stored") == "stored"
        assert describe("dq_invalid_geometry", {"parcel": "1-2"}, "stored") == "stored"


# -- Every rule's stored sentence is its English rendering --------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not MANIFEST.exists(), reason="the demo data is not generated yet")
def test_every_stored_sentence_is_the_english_rendering_of_its_evidence(app, db_session):
    as_of = dt.date.fromisoformat(json.loads(MANIFEST.read_text())["as_of"])
    demo.load_demo(db_session, password=None)
    scan(db_session, as_of=as_of)

    flags = db_session.scalars(sa.select(m.AnomalyFlag).order_by(m.AnomalyFlag.id)).all()
    assert {flag.rule for flag in flags} == set(RULES)
    with app.app_context(), force_locale("en"):
        for flag in flags:
            assert flag.message == describe(flag.rule, flag.evidence, "FALLBACK"), flag.rule
    # The variants of a sentence are there too.
    messages = {flag.message for flag in flags}
    assert any("no contract was in force" in s for s in messages)
    assert any("; contract " in s for s in messages if "was seen used as" in s)
    assert any("is still active but ended" in s for s in messages)
    assert any("yet the inspection of" in s for s in messages)
