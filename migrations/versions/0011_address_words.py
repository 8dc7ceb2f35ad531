"""the words of parcel addresses, for correcting a misspelt street in the public search

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 17:30:00

A resident who types a street with a letter missing ("Мамтова, 39") found nothing by
words, and the search then compared the whole query's trigrams with every address: over
a national inventory the trigrams of house numbers and "ул." are shared by a third of all
parcels, and that took 60-150 ms. The streets of a country are a few thousand words.
`address_word` keeps each word with a letter that appears in a parcel address; the
search corrects an unknown word to the most similar of them (a trigram lookup among
thousands, about a millisecond) and searches by words again.

A statement trigger adds the words of inserted parcels and of changed addresses. Words
are never removed when the last address holding them goes: a correction to such a word
finds nothing, and the search goes on to its trigram fallback as before.
"""
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

#: The words of the addresses in `rows` (a table alias), as the search's full-text
#: index splits them (webmap/services/search.py word_query), with at least one letter.
_WORDS_OF = """
SELECT DISTINCT word
  FROM {rows} r,
       unnest(tsvector_to_array(to_tsvector('simple', coalesce(r.address, '')))) AS word
 WHERE r.address IS NOT NULL AND word ~ '[^[:digit:][:punct:][:space:]]'"""

UPGRADE = f"""
CREATE TABLE address_word (
    word text NOT NULL,
    CONSTRAINT pk_address_word PRIMARY KEY (word)
);
CREATE INDEX ix_address_word_trgm ON address_word USING gin (word gin_trgm_ops);

-- Updates pair old and new rows through EXECUTE, planned each time (see 0010).
CREATE FUNCTION inventory_address_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO address_word (word) {_WORDS_OF.format(rows="new_rows")}
    ON CONFLICT (word) DO NOTHING;
  ELSE
    EXECUTE $statement$
    INSERT INTO address_word (word) {_WORDS_OF.format(
        rows="(SELECT n.address FROM new_rows n JOIN old_rows o ON o.id = n.id "
             "WHERE n.address IS DISTINCT FROM o.address)")}
    ON CONFLICT (word) DO NOTHING$statement$;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER parcel_address_words_insert AFTER INSERT ON parcel
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION inventory_address_words();
CREATE TRIGGER parcel_address_words_update AFTER UPDATE ON parcel
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION inventory_address_words();

INSERT INTO address_word (word) {_WORDS_OF.format(rows="parcel")};
"""

DOWNGRADE = """
DROP TRIGGER IF EXISTS parcel_address_words_update ON parcel;
DROP TRIGGER IF EXISTS parcel_address_words_insert ON parcel;
DROP FUNCTION IF EXISTS inventory_address_words();
DROP TABLE IF EXISTS address_word;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
