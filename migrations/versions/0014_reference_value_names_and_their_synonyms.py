"""reference value names and their synonyms

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 20:05:00

Imports accepted only internal codes, while offices write "ИЖС", "Общепит", "свободен",
"ОсОО". A value is now known by its code, its ky/ru/en names (the reference tables' names
and the labels' translations, read live) and the synonyms of `reference_synonym`, which
an administrator edits at /office/synonyms. This seeds the forms offices usually write.
The import wizard also remembers, per municipality and kind, the code an officer chose
for a value (`import_mapping.value_codes`).

`normal` is the compared form (inventory.services.reference_names.normal); the copy of
that rule below is frozen with this migration, as migrations are.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

#: An individual entrepreneur (ИП, ЖИ) is a natural person: until lessees have a kind
#: of their own for it, it is read as a private individual (kept private in public).
ENTREPRENEUR_KIND = 'individual'

SEED = {
    'land_use': {
        'greening': 'озеленение; благоустройство; зеленая зона; зелёные насаждения; сквер; '
        'көгалдандыруу; жашылдандыруу; greening; landscaping',
        'recreation': 'отдых; рекреация; зона отдыха; эс алуу аймагы',
        'social': 'социальная инфраструктура; соцобъект; школа; детский сад; поликлиника; '
        'мектеп; бала бакча; социалдык инфраструктура',
        'housing_individual': 'ИЖС; индивидуальное жилье; индивидуальный жилой дом; '
        'жилой дом; ЖТЖК; жеке турак жай',
        'housing_multi': 'МЖС; многоквартирный дом; многоэтажный дом; көп кабаттуу үй',
        'agriculture': 'сельское хозяйство; огород; сад; айыл чарба; бакча',
        'trade': 'торговля; услуги; магазин; киоск; павильон; торговый павильон; соода; '
        'дүкөн; кызмат көрсөтүү',
        'catering': 'общепит; кафе; ресторан; столовая; чайхана; ашкана; тамактануу',
        'car_wash': 'мойка; автомойка; СТО; станция техобслуживания; автосервис; '
        'унаа жуучу жай',
        'parking': 'стоянка; автостоянка; парковка; автопарковка; паркинг; '
        'унаа токтотуучу жай; унаа токтоочу жай',
        'advertising': 'реклама; рекламная конструкция; рекламный щит; билборд; баннер; '
        'жарнама',
        'industry': 'промышленность; склад; производство; промзона; өнөр жай; кампа',
    },
    'land_category': {
        'settlements': 'населенные пункты; земли поселений; ЗНП; калктуу конуштар; '
        'калктуу пункттардын жерлери',
        'agricultural': 'земли сельхозназначения; сельхозназначения; с/х назначения; '
        'сельскохозяйственные; айыл чарба жерлери',
        'industry_transport': 'земли промышленности; земли промышленности и транспорта; '
        'промышленности транспорта связи; өнөр жай жерлери',
        'protected_natural': 'ООПТ; особо охраняемые; особо охраняемые природные территории; '
        'корголуучу аймактар',
        'forest': 'лесной фонд; лесфонд; токой фонду',
        'water': 'водный фонд; суу фонду',
        'reserve': 'запас; земли запаса; запас жерлери',
    },
    'parcel_status': {
        'free': 'свободен; свободный; свободна; не занят; предлагается в аренду; бош; '
        'бош жер',
        'leased': 'в аренде; арендован; арендуется; сдан в аренду; ижарада; '
        'ижарага берилген',
        'municipal_use': 'муниципальное пользование; муниципальный; '
        'муниципальное учреждение; муниципалдык мекеме',
        'reserved': 'резерв; в резерве; зарезервирован; резервде',
        'disputed': 'спорный; спор; в споре; судебный спор; талаштуу; талаш',
    },
    'contract_status': {
        'draft': 'проект; черновик; долбоор',
        'active': 'действует; действующий; действующий договор; действ; активный; '
        'күчүндө; аракетте',
        'expired': 'истек; истекший; срок истек; закончился; мөөнөтү бүткөн; '
        'мөөнөтү өткөн',
        'terminated': 'расторгнут; расторжен; прекращен; бузулган; токтотулган',
        'superseded': 'заменен; заменен новым; алмаштырылган',
    },
    'lessee_kind': {
        'legal_entity': 'юридическое лицо; юр лицо; юрлицо; ю/л; ОсОО; ООО; ЖЧК; ОАО; '
        'ЗАО; АО; АК; ААК; ЖАК; ГП; МП; МИ; ОФ; КФ; ОО; юридикалык жак',
        'individual': 'физическое лицо; физ лицо; физлицо; ф/л; ф.л.; гр.; гражданин; '
        'гражданка; частное лицо; жеке жак; жеке адам; жаран',
    },
    'contract_basis': {
        'auction': 'аукцион; электронный аукцион; торги; по итогам аукциона; '
        'постановление 142; электрондук аукцион; аукциондун жыйынтыгы',
        'decision': 'решение; прямое решение; распоряжение; решение мэрии; '
        'постановление мэрии; чечим; мэриянын токтому',
    },
    'rent_period': {
        'year': 'год; в год; годовая; ежегодно; сом/год; жыл; жылына; annual',
        'month': 'месяц; в месяц; ежемесячно; сом/мес; мес; ай; айына; monthly',
    },
    'building_kind': {
        'building': 'здание; строение; корпус; имарат; курулуш',
        'premise': 'помещение; нежилое помещение; жай; бөлмө',
    },
}


#: An entrepreneur's forms, seeded under ENTREPRENEUR_KIND: the one place that says so.
ENTREPRENEUR_FORMS = 'ИП; ЖИ; индивидуальный предприниматель; жеке ишкер'


def normal(value: str) -> str:
    """Lower case, ё as е, quotes and punctuation as spaces, spaces collapsed."""
    text = str(value).lower().replace('ё', 'е')
    return ' '.join(''.join(c if c.isalnum() else ' ' for c in text).split())


def _seed_rows() -> list[dict]:
    rows, seen = [], set()
    pairs = [(domain, code, forms) for domain, codes in SEED.items()
             for code, forms in codes.items()]
    pairs.append(('lessee_kind', ENTREPRENEUR_KIND, ENTREPRENEUR_FORMS))
    for domain, code, forms in pairs:
        for form in forms.split(';'):
            form = form.strip()
            key = (domain, normal(form))
            if form and key not in seen:
                seen.add(key)
                rows.append({'domain': domain, 'code': code, 'synonym': form,
                             'normal': key[1]})
    return rows


def upgrade():
    synonym = op.create_table(
        'reference_synonym',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('domain', sa.String(40), nullable=False),
        sa.Column('code', sa.String(40), nullable=False),
        sa.Column('synonym', sa.String(200), nullable=False),
        sa.Column('normal', sa.String(200), nullable=False),
        sa.Column('created_by', sa.Integer(),
                  sa.ForeignKey('app_user.id', ondelete='SET NULL'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
                  nullable=False),
        sa.UniqueConstraint('domain', 'normal', name='uq_reference_synonym_normal'),
    )
    op.bulk_insert(synonym, _seed_rows())
    op.add_column('import_mapping', sa.Column(
        'value_codes', JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False))


def downgrade():
    op.drop_column('import_mapping', 'value_codes')
    op.drop_table('reference_synonym')
