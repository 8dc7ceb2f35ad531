"""The workspace's task list: an officer sees the open flags, waiting reports, contracts
ending soon, refused outlines and unassigned statement lines of their own city; an
auditor sees every city's, counted per municipality."""

from __future__ import annotations

import datetime as dt

import pytest

from inventory import models as m
from inventory.services import localtime
from inventory.services.permissions import Actor
from inventory.services.tasks import KINDS, task_list
from tests import factories as f

TODAY = localtime.today()


@pytest.fixture()
def work(db_session, osh, jalalabad):
    """Two of each task in Osh, one in Jalal-Abad, and what must not count."""
    for city in (osh, osh, jalalabad):
        parcel = f.parcel(db_session, city)
        f.contract(db_session, parcel, end_date=TODAY + dt.timedelta(days=20))
        db_session.add_all(
            [
                m.CitizenReport(municipality_id=city.id, parcel_id=parcel.id, text="Свалка"),
                m.AnomalyFlag(
                    municipality_id=city.id,
                    rule="misuse",
                    severity=m.Severity.CRITICAL,
                    fingerprint=f"misuse-{parcel.id}",
                    message="misuse",
                    evidence={},
                    evidence_hash="x",
                    parcel_id=parcel.id,
                ),
                m.StatementLine(
                    municipality_id=city.id,
                    line_key=f"L-{parcel.id}",
                    paid_on=dt.date(2026, 3, 1),
                    amount=700,
                ),
            ]
        )
        f.parcel(db_session, city, geom_problem="the outline crosses itself", shape=False)
    # Not tasks: a contract ending next year, a resolved flag, a published report.
    later = f.contract(
        db_session, f.parcel(db_session, osh), end_date=TODAY + dt.timedelta(days=400)
    )
    db_session.add_all(
        [
            m.AnomalyFlag(
                municipality_id=osh.id,
                rule="misuse",
                severity=m.Severity.WARNING,
                fingerprint="done",
                message="done",
                evidence={},
                evidence_hash="y",
                status=m.FlagStatus.RESOLVED,
            ),
            m.CitizenReport(
                municipality_id=osh.id,
                parcel_id=later.objects[0].parcel_id,
                text="old",
                status=m.ReportStatus.PUBLISHED,
            ),
        ]
    )
    db_session.flush()


def _counts(tasks):
    return {task.kind: task.count for task in tasks}


def test_an_officer_sees_the_work_of_their_own_city(db_session, people, work):
    officer = Actor.of(people["officer_osh"], source="ui")
    tasks = task_list(db_session, officer, TODAY)
    assert [task.kind for task in tasks] == list(KINDS)
    assert _counts(tasks) == {k: 2 for k in KINDS}
    assert all(item["municipality"] == "osh" for task in tasks for item in task.items)


def test_an_auditor_sees_every_city_counted_per_municipality(db_session, people, work):
    auditor = Actor.of(people["auditor"], source="ui")
    tasks = {task.kind: task for task in task_list(db_session, auditor, TODAY, top=2)}
    assert tasks["flags"].count == 3
    assert tasks["flags"].per_municipality == {"jalal-abad": 1, "osh": 2}
    assert len(tasks["ending"].items) == 2


def test_nothing_to_do_reads_as_an_empty_state(db_session, people, osh):
    officer = Actor.of(people["officer_osh"], source="ui")
    assert _counts(task_list(db_session, officer, TODAY)) == {k: 0 for k in KINDS}


def test_the_workspace_page_lists_the_tasks_with_links(sign_in, people, work, db_session):
    client = sign_in("officer_osh")
    page = client.get("/office/?lang=en").get_data(as_text=True)
    assert "Your tasks" in page
    assert "Contracts ending within 60 days" in page
    own = people["officer_osh"].municipality_id
    for flag in db_session.query(m.AnomalyFlag).filter_by(status=m.FlagStatus.OPEN):
        assert (f'href="/audit/flags/{flag.id}"' in page) == (flag.municipality_id == own)
    assert "the outline crosses itself" in page
    assert "Nothing waits here." not in page
