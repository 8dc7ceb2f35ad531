"""Search of the public map: identification code, address or a company lessee's name."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.privacy import PublicLessee, public_lessee, public_lessee_name_text
from inventory.services.public.model import (
    ACTIVE_CONTRACT,
    ACTIVE_CONTRACT_LATERAL,
    VISIBLE_PARCEL,
)
from inventory.services.public.parcels import bbox_sql
from inventory.services.terms import bounded

#: Kinds of street written before its name (ru, ky), left out of address word queries.
STREET_KINDS = frozenset(
    (
        "ул",
        "улица",
        "пер",
        "переулок",
        "просп",
        "проспект",
        "пр",
        "туп",
        "тупик",
        "проезд",
        "мкр",
        "микрорайон",
        "бул",
        "бульвар",
        "пл",
        "площадь",
        "көч",
        "көчөсү",
        "кочосу",
    )
)
#: The trigram similarity a fuzzy match needs (pg_trgm.similarity_threshold).
FUZZY_THRESHOLD = 0.45
#: The similarity an unknown word needs to an address word to be read as it: lower than
#: FUZZY_THRESHOLD, because a short word with a letter missing ("ленна" for "ленина")
#: shares fewer trigrams, and the best of a few thousand words is taken, not all above.
WORD_THRESHOLD = 0.3
#: How many of the most similar address words are checked for a visible parcel still
#: holding them.
CORRECTION_CANDIDATES = 5
MIN_QUERY = 2
#: The words of a longer query past this many characters are not looked up; a query
#: longer than terms.MAX_TERM_LENGTH is refused (terms.bounded).
MAX_QUERY = 100
DEFAULT_LIMIT = 10
MAX_LIMIT = 50


@dataclass(frozen=True)
class SearchHit:
    """A parcel as the public map lists it (a search hit, an entry of the parcels in
    view): the lessee masked, the bbox to zoom to."""

    id: int
    ident_code: str
    address: str | None
    status: str
    municipality: str
    lessee: PublicLessee | None
    bbox: list[float] | None

    @classmethod
    def from_row(cls, row) -> SearchHit:
        """The hit of a row with the listed columns, `contract_id` and the lessee's
        `lessee_kind`, `lessee_name` and `lessee_inn` (ACTIVE_CONTRACT_LATERAL's)."""
        return cls(
            id=row["id"],
            ident_code=row["ident_code"],
            address=row["address"],
            status=row["status"],
            municipality=row["municipality"],
            lessee=(
                public_lessee(row["lessee_kind"], row["lessee_name"], row["lessee_inn"])
                if row["contract_id"] is not None
                else None
            ),
            bbox=list(row["bbox"]) if row["bbox"] else None,
        )


# Each branch is an ILIKE or trigram `%` test on one column with a GIN trigram index, so
# PostgreSQL answers from the indexes instead of reading every parcel. The lessee branch
# matches only names the masking rule makes public: a private individual's name can never
# be searched for, or a resident could learn where a named person leases land.
#
# The first query matches a code by its first or last groups and an address by its
# words (each word or its beginning, in any order), through btree and full-text indexes
# (migration 0005); a company by any part of its name. Only when that finds nothing does
# the fuzzy one run, with the trigram tests on every column (misspellings, parts of
# words): over a national set a common street name or group of digits shares trigrams
# with a third of all parcels, and those lists cost a tenth of a second and more to read.
# The page of hits is cut before the current contracts are looked up; the count of all
# visible hits comes with it, from the rows the ordering reads anyway.
_SEARCH_TEMPLATE = f"""
WITH hits AS (
    SELECT p.id, greatest(similarity(p.ident_code, :q),
                          similarity(coalesce(p.address, ''), :q)) AS score
    FROM parcel p
    WHERE {{parcel_match}}
  UNION ALL
    SELECT co.parcel_id, similarity(l.name, :q)
    FROM lessee l
    JOIN lease_contract c ON c.lessee_id = l.id
                          AND {ACTIVE_CONTRACT}
    JOIN contract_object co ON co.contract_id = c.id AND co.parcel_id IS NOT NULL
    WHERE {public_lessee_name_text("l")} IS NOT NULL
      AND ({{lessee_match}})
),
best AS (SELECT id, max(score) AS score FROM hits GROUP BY id),
page AS (
    SELECT p.id, p.ident_code, p.address, p.status, p.municipality_id, p.geom, best.score,
           count(*) OVER () AS total
    FROM best
    JOIN parcel p ON p.id = best.id
    WHERE {VISIBLE_PARCEL}
    ORDER BY best.score DESC, p.ident_code
    LIMIT :limit
)
SELECT p.id, p.ident_code, p.address, p.status, m.slug AS municipality, p.total,
       ac.id AS contract_id, ac.lessee_kind, ac.lessee_name, ac.lessee_inn,
       {bbox_sql("p.geom")} AS bbox
FROM page p
JOIN municipality m ON m.id = p.municipality_id
{ACTIVE_CONTRACT_LATERAL}
ORDER BY p.score DESC, p.ident_code
"""
_SEARCH_SQL = sa.text(
    _SEARCH_TEMPLATE.format(
        parcel_match="p.ident_code LIKE :prefix OR reverse(p.ident_code) LIKE :reversed_prefix"
        " OR to_tsvector('simple', coalesce(p.address, ''))"
        " @@ to_tsquery('simple', :words)",
        lessee_match="l.name ILIKE :pattern",
    )
)
_FUZZY_SEARCH_SQL = sa.text(
    _SEARCH_TEMPLATE.format(
        parcel_match="p.ident_code ILIKE :pattern OR p.address ILIKE :pattern OR p.address % :q",
        lessee_match="l.name ILIKE :pattern OR l.name % :q",
    )
)


def like_pattern(text: str) -> str:
    """`%text%` for ILIKE, with the user's own %, _ and \\ matched literally."""
    return f"%{_literal(text)}%"


def _literal(text: str) -> str:
    """`text` for LIKE with its %, _ and \\ matched literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    """The words of `text`, lower case, as the address index splits them."""
    return _WORD.findall(text.lower())


def word_query(text: str) -> str | None:
    """The full-text query "every word, or a word beginning so" for `text`
    (`Маматова, 39` -> `маматова:* & 39:*`); None when it holds no letter, as a code
    does (its groups of digits would match the house numbers of half the country)."""
    if not _LETTER.search(text):
        return None
    words = _words(text)
    # "ул.", "мкр." and the like are in a fifth of all addresses each: reading them
    # costs more than they narrow, so they count only when nothing else is asked.
    words = [w for w in words if w not in STREET_KINDS] or words
    return " & ".join(f"{word}:*" for word in words) or None


# Each word of the query read as the most similar word of the addresses (itself when it
# is one), or NULL when none is similar enough (address_word, migration 0011). The
# dictionary only grows, so of the few most similar words the first still in the address
# of a visible parcel is taken: a street renamed everywhere is no longer a correction.
_CORRECT_SQL = sa.text(f"""
SELECT q.word, best.word AS corrected
FROM unnest(CAST(:words AS text[])) WITH ORDINALITY AS q(word, n)
LEFT JOIN LATERAL (
    SELECT a.word, a.score FROM (
        SELECT w.word, similarity(w.word, q.word) AS score FROM address_word w
        WHERE w.word % q.word
        ORDER BY score DESC, w.word
        LIMIT {CORRECTION_CANDIDATES}
    ) a
    WHERE EXISTS (SELECT 1 FROM parcel p
                  WHERE to_tsvector('simple', coalesce(p.address, ''))
                        @@ plainto_tsquery('simple', a.word)
                    AND {VISIBLE_PARCEL})
    ORDER BY a.score DESC, a.word
    LIMIT 1
) best ON true
ORDER BY q.n
""")


def corrected_words(session: so.Session, text: str) -> str | None:
    """The word query of `text` with each word that holds a letter replaced by the most
    similar word of any parcel address ("Ленна, 212" -> `ленина:* & 212:*`); None when
    some such word resembles no address word, or when nothing needed correcting."""
    words = _words(text)
    lettered = [w for w in words if _LETTER.search(w) and w not in STREET_KINDS]
    if not lettered:
        return None
    session.execute(sa.text(f"SET LOCAL pg_trgm.similarity_threshold = {WORD_THRESHOLD}"))
    found = dict(session.execute(_CORRECT_SQL, {"words": lettered}).all())
    if any(found[w] is None for w in lettered) or all(found[w] == w for w in lettered):
        return None
    return word_query(" ".join(found.get(w, w) for w in words))


@dataclass(frozen=True)
class Found:
    """A page of search hits, best first, and how many visible parcels matched."""

    hits: list[SearchHit]
    total: int


def search_parcels(session: so.Session, query: str, limit: int = DEFAULT_LIMIT) -> Found:
    """Visible parcels matching the query (the first `limit`, and their number), best
    first: those whose code begins or ends
    with it, whose address has its words (or words beginning so), or whose public lessee
    name contains it; when none does, the same with each misspelt word read as the most
    similar address word (corrected_words); when still none, those resembling the whole
    query (trigrams).

    A query shorter than MIN_QUERY characters finds nothing (it would match everything);
    longer than MAX_QUERY is cut, longer than terms.MAX_TERM_LENGTH refused (400).
    `limit` is clamped to 1..MAX_LIMIT.
    """
    query = " ".join((bounded(query) or "").split())[:MAX_QUERY]
    if len(query) < MIN_QUERY:
        return Found([], 0)
    limit = min(max(limit, 1), MAX_LIMIT)
    params = {
        "q": query,
        "pattern": like_pattern(query),
        "limit": limit,
        "prefix": _literal(query) + "%",
        "reversed_prefix": _literal(query[::-1]) + "%",
        "words": word_query(query),
    }
    # Each branch reads a few index entries: starting parallel workers would cost more.
    session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
    rows = session.execute(_SEARCH_SQL, params).mappings().all()
    if not rows and params["words"]:
        corrected = corrected_words(session, query)
        if corrected:
            rows = session.execute(_SEARCH_SQL, {**params, "words": corrected}).mappings().all()
    if not rows:
        # Above pg_trgm's default 0.3, a street name with a letter missing still finds its
        # addresses, and the index rechecks tens of rows instead of thousands.
        session.execute(sa.text(f"SET LOCAL pg_trgm.similarity_threshold = {FUZZY_THRESHOLD}"))
        rows = session.execute(_FUZZY_SEARCH_SQL, params).mappings().all()
    return Found([SearchHit.from_row(row) for row in rows], rows[0]["total"] if rows else 0)
