"""individual entrepreneurs: a lessee kind of their own

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 22:40:00

An individual entrepreneur (ИП / жеке ишкер) is a natural person trading under a name.
Stored as a legal entity, its personal ИНН (sex and birth date) was published on cards,
tiles, OGC, open data and OCDS; stored as a private individual, its trade name could not
be shown. The new kind `individual_entrepreneur` lets the masking module
(inventory.services.privacy) show the trade name and nothing else.

- `lessee.kind` accepts the new value; an entrepreneur's ИНН, when known, is a personal
  one (1 or 2 first, the sex).
- The entrepreneur's forms (ИП, И.П., ЖИ, индивидуальный предприниматель, жеке ишкер),
  seeded by 0014 as a private individual's, now name the new kind, so imports read them so.
- Lessees stored as legal entities with a personal ИНН are entrepreneurs (a company's ИНН
  starts with 0): they become so, and their ИНН leaves every public output. Lessees
  stored as private individuals stay private: publishing a name is an officer's decision.

Downgrade turns entrepreneurs into private individuals (nothing becomes public).
"""

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

KIND = 'individual_entrepreneur'
FORMS = ('ИП', 'И.П.', 'ЖИ', 'индивидуальный предприниматель', 'жеке ишкер')


def normal(value: str) -> str:
    """Lower case, ё as е, quotes and punctuation as spaces, spaces collapsed (frozen copy
    of inventory.services.reference_names.normal)."""
    text = str(value).lower().replace('ё', 'е')
    return ' '.join(''.join(c if c.isalnum() else ' ' for c in text).split())


def _kinds(*values: str) -> str:
    listed = ', '.join(f"'{v}'::character varying" for v in values)
    return f'(kind)::text = ANY ((ARRAY[{listed}])::text[])'


def upgrade():
    op.drop_constraint(op.f('ck_lessee_lessee_kind'), 'lessee', type_='check')
    op.create_check_constraint(
        op.f('ck_lessee_lessee_kind'), 'lessee', _kinds('legal_entity', KIND, 'individual'))
    op.execute(f"UPDATE lessee SET kind = '{KIND}' WHERE kind = 'legal_entity' AND inn ~ '^[12]'")
    op.create_check_constraint(
        op.f('ck_lessee_entrepreneur_has_personal_inn'), 'lessee',
        f"kind <> '{KIND}' OR inn ~ '^[12]'")
    for form in FORMS:
        op.execute(sa.text(
            "INSERT INTO reference_synonym (domain, code, synonym, normal) "
            "VALUES ('lessee_kind', :kind, :form, :normal) "
            "ON CONFLICT (domain, normal) DO UPDATE SET code = excluded.code "
            "WHERE reference_synonym.code = 'individual'"
        ).bindparams(kind=KIND, form=form, normal=normal(form)))


def downgrade():
    op.execute(
        f"UPDATE reference_synonym SET code = 'individual' "
        f"WHERE domain = 'lessee_kind' AND code = '{KIND}'")
    op.drop_constraint(op.f('ck_lessee_entrepreneur_has_personal_inn'), 'lessee', type_='check')
    op.execute(f"UPDATE lessee SET kind = 'individual' WHERE kind = '{KIND}'")
    op.drop_constraint(op.f('ck_lessee_lessee_kind'), 'lessee', type_='check')
    op.create_check_constraint(
        op.f('ck_lessee_lessee_kind'), 'lessee', _kinds('legal_entity', 'individual'))
