"""The towns of the national benchmark database and the words it is written in.

Forty real Kyrgyz towns at their real places (approximate centres), each with a weight
that shares the parcels out roughly by size, the first groups of its identification
codes and a short Cyrillic abbreviation for contract and inventory numbers. Osh,
Jalal-Abad and Nookat come first and keep the slugs and code prefixes of the demo, so a
small run is the three pilot cities. Every coefficient made from these is a demo value.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))

from demogen import names  # noqa: E402

#: slug, name_ky, name_ru, name_en, lon, lat, weight, code prefix, abbreviation
CITIES: tuple[tuple[str, str, str, str, float, float, int, str, str], ...] = (
    ("osh", "Ош", "Ош", "Osh", 72.800, 40.530, 45, "5-08", "ОШ"),
    ("jalal-abad", "Жалал-Абад", "Джалал-Абад", "Jalal-Abad", 73.000, 40.933, 18, "4-03", "ЖА"),
    ("nookat", "Ноокат", "Ноокат", "Nookat", 72.620, 40.260, 5, "5-06", "НК"),
    ("bishkek", "Бишкек", "Бишкек", "Bishkek", 74.590, 42.870, 100, "1-01", "БШ"),
    ("karakol", "Каракол", "Каракол", "Karakol", 78.390, 42.490, 12, "2-01", "КК"),
    ("tokmok", "Токмок", "Токмок", "Tokmok", 75.300, 42.840, 11, "1-05", "ТК"),
    ("kara-balta", "Кара-Балта", "Кара-Балта", "Kara-Balta", 73.850, 42.810, 9, "1-06", "КБ"),
    ("uzgen", "Өзгөн", "Узген", "Uzgen", 73.300, 40.770, 9, "5-10", "УЗ"),
    ("balykchy", "Балыкчы", "Балыкчи", "Balykchy", 76.190, 42.460, 8, "2-05", "БЛ"),
    ("kara-suu", "Кара-Суу", "Кара-Суу", "Kara-Suu", 72.870, 40.700, 8, "5-09", "КС"),
    ("naryn", "Нарын", "Нарын", "Naryn", 75.990, 41.430, 7, "6-01", "НР"),
    ("talas", "Талас", "Талас", "Talas", 72.240, 42.520, 7, "7-01", "ТЛ"),
    ("kyzyl-kiya", "Кызыл-Кыя", "Кызыл-Кия", "Kyzyl-Kiya", 72.130, 40.260, 7, "3-04", "КЗК"),
    ("batken", "Баткен", "Баткен", "Batken", 70.820, 40.060, 5, "3-01", "БТ"),
    ("kant", "Кант", "Кант", "Kant", 74.850, 42.890, 5, "1-07", "КН"),
    ("tash-kumyr", "Таш-Көмүр", "Таш-Кумыр", "Tash-Kumyr", 72.220, 41.350, 5, "4-07", "ТШ"),
    ("mailuu-suu", "Майлуу-Суу", "Майлуу-Суу", "Mailuu-Suu", 72.450, 41.270, 5, "4-08", "МС"),
    ("cholpon-ata", "Чолпон-Ата", "Чолпон-Ата", "Cholpon-Ata", 77.080, 42.650, 4, "2-03", "ЧА"),
    ("kerben", "Кербен", "Кербен", "Kerben", 71.750, 41.500, 4, "4-09", "КР"),
    (
        "bazar-korgon",
        "Базар-Коргон",
        "Базар-Коргон",
        "Bazar-Korgon",
        72.750,
        41.040,
        4,
        "4-04",
        "БК",
    ),
    ("aravan", "Араван", "Араван", "Aravan", 72.510, 40.520, 4, "5-03", "АР"),
    ("isfana", "Исфана", "Исфана", "Isfana", 69.530, 39.840, 3, "3-05", "ИС"),
    ("sulukta", "Сүлүктү", "Сулюкта", "Sulukta", 69.570, 39.930, 3, "3-06", "СЛ"),
    ("kadamjay", "Кадамжай", "Кадамжай", "Kadamjay", 71.730, 40.130, 3, "3-03", "КД"),
    ("toktogul", "Токтогул", "Токтогул", "Toktogul", 72.940, 41.870, 3, "4-10", "ТГ"),
    ("kochkor", "Кочкор", "Кочкор", "Kochkor", 75.750, 42.220, 3, "6-03", "КЧ"),
    ("at-bashy", "Ат-Башы", "Ат-Башы", "At-Bashy", 75.800, 41.170, 3, "6-02", "АБ"),
    ("massy", "Массы", "Массы", "Massy", 72.630, 41.060, 3, "4-05", "МА"),
    ("belovodskoye", "Беловодское", "Беловодское", "Belovodskoye", 73.900, 42.830, 3, "1-09", "БВ"),
    ("sokuluk", "Сокулук", "Сокулук", "Sokuluk", 74.300, 42.860, 3, "1-10", "СК"),
    ("kara-kulja", "Кара-Кулжа", "Кара-Кульджа", "Kara-Kulja", 73.600, 40.630, 2, "5-07", "ККЖ"),
    ("gulcha", "Гүлчө", "Гульча", "Gulcha", 73.450, 40.320, 2, "5-04", "ГЧ"),
    ("kemin", "Кемин", "Кемин", "Kemin", 75.690, 42.780, 2, "1-08", "КМ"),
    ("kok-janggak", "Көк-Жаңгак", "Кок-Жангак", "Kok-Janggak", 73.190, 41.030, 2, "4-06", "КЖ"),
    ("tyup", "Түп", "Тюп", "Tyup", 78.360, 42.730, 2, "2-04", "ТП"),
    ("bokonbaevo", "Бөкөнбаев", "Боконбаево", "Bokonbaevo", 76.990, 42.120, 2, "2-06", "БКН"),
    ("kazarman", "Казарман", "Казарман", "Kazarman", 74.030, 41.400, 1, "4-11", "КЗМ"),
    ("kyzyl-adyr", "Кызыл-Адыр", "Кызыл-Адыр", "Kyzyl-Adyr", 71.590, 42.620, 1, "7-03", "КА"),
    ("chaek", "Чаек", "Чаек", "Chaek", 74.510, 41.930, 1, "6-04", "ЧК"),
    (
        "daroot-korgon",
        "Дароот-Коргон",
        "Дароот-Коргон",
        "Daroot-Korgon",
        72.200,
        39.550,
        1,
        "5-11",
        "ДК",
    ),
)

#: Parcels per town below which a run uses fewer towns (at least the three pilot cities).
#: Small: a run of 1,000 parcels has the same forty towns as the national one, so the
#: two differ only in their parcels.
PARCELS_PER_TOWN = 25


def plan(parcels: int) -> list[dict]:
    """The towns of a run of `parcels` parcels with the parcels each gets (all of them
    shared out, the largest town first in the list order)."""
    count = max(3, min(len(CITIES), parcels // PARCELS_PER_TOWN))
    chosen = CITIES[:count]
    total_weight = sum(c[6] for c in chosen)
    shares = [parcels * c[6] // total_weight for c in chosen]
    shares[0] += parcels - sum(shares)
    towns = []
    for index, (city, share) in enumerate(zip(chosen, shares, strict=True), start=1):
        slug, name_ky, name_ru, name_en, lon, lat, weight, prefix, abbr = city
        towns.append(
            {
                "id": index,
                "slug": slug,
                "name_ky": name_ky,
                "name_ru": name_ru,
                "name_en": name_en,
                "lon": lon,
                "lat": lat,
                "parcels": share,
                "code_prefix": prefix,
                "abbr": abbr,
                # Bigger towns have dearer land (demo values, like every rate here).
                "rate_scale": round(0.7 + 0.7 * min(weight, 100) / 100, 2),
            }
        )
    return towns


STREETS = names.COMMON_STREETS
STREET_KINDS = ("ул.", "пер.", "проезд", "туп.", "мкр.")
PARKS = names.PARKS
MALE, FEMALE, SURNAMES, FATHERS = names.MALE, names.FEMALE, names.SURNAMES, names.FATHERS
COMPANY_WORDS, COMPANY_SUFFIXES = names.COMPANY_WORDS, names.COMPANY_SUFFIXES
COMPANY_FORMS = ("ОсОО", "ОсОО", "ОсОО", "ИП", "ОАО", "ЗАО")
INSPECTORS = names.INSPECTORS
