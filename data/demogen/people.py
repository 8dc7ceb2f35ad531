"""Lessees: companies (ОсОО, ОАО, ЗАО), individual entrepreneurs (ИП) and private
individuals, with ИНН and contacts.

An ИНН is 14 digits: a company's starts with 0 and its registration date, a natural
person's with 1 or 2 and the birth date. An ИП is a natural person trading under a name:
it is stored as `individual_entrepreneur` with its personal ИНН, though it leases as a
company does (it is drawn from the companies' pool). Some private individuals have no ИНН
on file. ИНН are unique within a municipality, as the register requires.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from demogen import names
from demogen.cities import CitySpec

_OPERATORS = ("550", "555", "557", "700", "705", "707", "770", "777", "990", "999", "500")
_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяңөү",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "h",
            "ts",
            "ch",
            "sh",
            "sch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "ng",
            "o",
            "u",
        ],
        strict=True,
    )
)


@dataclass(slots=True)
class Lessee:
    key: str
    kind: str  # "legal_entity", "individual_entrepreneur" or "individual"
    name: str
    inn: str
    phone: str
    email: str
    address: str
    document: str


def latin(text: str) -> str:
    out = "".join(_LATIN.get(ch, ch) for ch in text.lower())
    return "".join(ch if ch.isalnum() else "-" for ch in out).strip("-").replace("--", "-")


class Lessees:
    """The lessees of one municipality, created on demand and sometimes reused (one
    company often rents several plots)."""

    def __init__(self, spec: CitySpec, rng: random.Random, reuse: float):
        self.spec, self.rng, self.reuse = spec, rng, reuse
        self.all: list[Lessee] = []
        self._by_kind: dict[str, list[Lessee]] = {"legal_entity": [], "individual": []}
        self._inns: dict[str, None] = {}

    def get(self, kind: str, fresh: bool = False, avoid: str = "") -> Lessee:
        """A lessee of this kind: an existing one now and then, else a new one."""
        pool = self._by_kind[kind]
        if not fresh and pool and self.rng.random() < self.reuse:
            found = self.rng.choice(pool)
            if found.key != avoid:
                return found
        return self._new(kind)

    def _inn(self, first: str, since: int, until: int) -> str:
        rng = self.rng
        while True:
            day = dt.date(since, 1, 1) + dt.timedelta(
                days=rng.randrange((dt.date(until, 12, 31) - dt.date(since, 1, 1)).days)
            )
            inn = f"{first}{day:%d%m%Y}{rng.randrange(100000):05d}"
            if inn not in self._inns:
                self._inns[inn] = None
                return inn

    def _new(self, kind: str) -> Lessee:
        rng, spec = self.rng, self.spec
        phone = f"+996 {rng.choice(_OPERATORS)} {rng.randrange(1000):03d} {rng.randrange(1000):03d}"
        street = rng.choice(spec.streets or tuple(f"ул. {n}" for n in names.COMMON_STREETS))
        address = f"{spec.city_label}, {street}, {rng.randrange(1, 180)}"
        stored_kind = kind
        if kind == "legal_entity":
            name, form = names.company(rng)
            if form == "ИП":
                stored_kind = "individual_entrepreneur"
            inn = self._inn(
                "2" if form == "ИП" else "0",
                1994 if form != "ИП" else 1960,
                2023 if form != "ИП" else 2002,
            )
            word = latin(name.split("«")[-1].rstrip("»")) if "«" in name else latin(name.split()[1])
            email = (
                f"{word}@{rng.choice(('mail.kg', 'gmail.com', 'mail.ru', 'elcat.kg'))}"
                if rng.random() < 0.7
                else ""
            )
            document = (
                f"Свидетельство ИП №{rng.randrange(10**6):06d}"
                if form == "ИП"
                else f"Свидетельство о гос. регистрации №{rng.randrange(10**5):05d}-"
                f"3{rng.randrange(1000):03d}-{ {'ОсОО': 'ООО'}.get(form, form) }"
            )
        else:
            name, sex = names.person(rng)
            inn = "" if rng.random() < 0.15 else self._inn("1" if sex == "f" else "2", 1950, 2003)
            email = ""
            if rng.random() < 0.25:
                parts = name.split()
                email = f"{latin(parts[1])}.{latin(parts[0])}{rng.randrange(100)}@gmail.com"
            address += f", кв. {rng.randrange(1, 90)}" if rng.random() < 0.4 else ""
            document = (
                f"ID{rng.randrange(10**7):07d}"
                if rng.random() < 0.7
                else f"AN{rng.randrange(10**7):07d}"
            )
        lessee = Lessee(
            f"{spec.key_prefix}-L{len(self.all) + 1:05d}",
            stored_kind,
            name,
            inn,
            phone,
            email,
            address,
            document,
        )
        self.all.append(lessee)
        self._by_kind[kind].append(lessee)
        return lessee
