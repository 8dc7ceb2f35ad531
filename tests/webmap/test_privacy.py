"""Private individuals are never named in public; companies are, with their ИНН."""

import pytest
import sqlalchemy as sa

from inventory import models as m
from inventory.services import privacy
from tests import factories as f
from tests.webmap.conftest import COMPANY_NAME, PRIVATE_NAME


def _identity(text):
    return text


def test_a_legal_entity_keeps_its_name_and_inn():
    public = privacy.public_lessee("legal_entity", COMPANY_NAME, "01234567890123")
    assert (public.name, public.inn, public.is_private) == (COMPANY_NAME, "01234567890123", False)
    assert public.display_name(_identity) == COMPANY_NAME


@pytest.mark.parametrize("kind", ["individual", m.LesseeKind.INDIVIDUAL, None, "", "other"])
def test_anyone_but_a_legal_entity_becomes_a_private_individual_with_no_identity(kind):
    public = privacy.public_lessee(kind, PRIVATE_NAME, "21234567890123")
    assert public.name is None and public.inn is None and public.is_private
    assert public.display_name(_identity) == privacy.PRIVATE_INDIVIDUAL
    assert PRIVATE_NAME not in repr(public.as_dict(_identity))


def test_the_label_is_translated_by_whoever_renders_it():
    public = privacy.public_lessee("individual", PRIVATE_NAME)
    assert public.display_name(lambda text: f"[{text}]") == "[Private individual]"


def test_a_row_mapping_or_a_lessee_object_is_masked_the_same_way(db_session):
    person = f.lessee(
        db_session,
        kind=m.LesseeKind.INDIVIDUAL,
        name=PRIVATE_NAME,
        phone="+996 555 000 111",
        email="a@b.kg",
        document="ID77",
    )
    from_object = privacy.public_lessee_from(person)
    from_mapping = privacy.public_lessee_from(
        {"kind": "individual", "name": PRIVATE_NAME, "phone": "+996 555 000 111"}
    )
    assert from_object == from_mapping == privacy.public_lessee("individual")
    company = f.lessee(db_session, name=COMPANY_NAME)
    assert privacy.public_lessee_from(company).name == COMPANY_NAME


def test_sql_masks_exactly_like_python(db_session):
    f.lessee(db_session, kind=m.LesseeKind.INDIVIDUAL, name=PRIVATE_NAME)
    f.lessee(db_session, name=COMPANY_NAME, inn="01234567890123")
    lessee = m.Lessee.__table__
    core = (
        db_session.execute(
            sa.select(
                lessee.c.kind,
                lessee.c.name,
                lessee.c.inn,
                privacy.public_lessee_name_sql(lessee.c.kind, lessee.c.name).label("public_name"),
                privacy.public_lessee_inn_sql(lessee.c.kind, lessee.c.inn).label("public_inn"),
            )
        )
        .mappings()
        .all()
    )
    text = (
        db_session.execute(
            sa.text(
                f"SELECT {privacy.public_lessee_name_text('l')} AS public_name, "
                f"{privacy.public_lessee_inn_text('l')} AS public_inn FROM lessee l ORDER BY l.id"
            )
        )
        .mappings()
        .all()
    )
    assert len(core) == len(text) >= 2
    for row, text_row in zip(core, text, strict=True):
        expected = privacy.public_lessee_from(row)
        assert (row["public_name"], row["public_inn"]) == (expected.name, expected.inn)
        assert (text_row["public_name"], text_row["public_inn"]) == (expected.name, expected.inn)
    assert PRIVATE_NAME not in {row["public_name"] for row in core}


def test_the_text_helper_refuses_anything_but_an_alias():
    with pytest.raises(ValueError):
        privacy.public_lessee_name_text("l; DROP TABLE lessee")


def test_an_entrepreneur_keeps_its_trade_name_but_never_its_personal_inn(db_session):
    trade_name, personal_inn = "ИП Асанов Б. Ж.", "21505198000123"
    public = privacy.public_lessee("individual_entrepreneur", trade_name, personal_inn)
    assert (public.name, public.inn, public.is_private) == (trade_name, None, False)
    assert public.display_name(_identity) == trade_name
    assert personal_inn not in repr(public.as_dict(_identity))
    trader = f.lessee(
        db_session,
        kind=m.LesseeKind.INDIVIDUAL_ENTREPRENEUR,
        name=trade_name,
        inn=personal_inn,
        phone="+996 555 000 222",
    )
    assert privacy.public_lessee_from(trader) == public
    row = db_session.execute(
        sa.text(
            f"SELECT {privacy.public_lessee_name_text('l')} AS name, "
            f"{privacy.public_lessee_inn_text('l')} AS inn FROM lessee l WHERE l.id = :id"
        ),
        {"id": trader.id},
    ).one()
    lessee = m.Lessee.__table__
    core = db_session.execute(
        sa.select(
            privacy.public_lessee_name_sql(lessee.c.kind, lessee.c.name),
            privacy.public_lessee_inn_sql(lessee.c.kind, lessee.c.inn),
        ).where(lessee.c.id == trader.id)
    ).one()
    assert tuple(row) == tuple(core) == (trade_name, None)
