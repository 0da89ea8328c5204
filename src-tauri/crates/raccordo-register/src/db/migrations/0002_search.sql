-- Raccordo register, schema 2: full-text search.
-- unicode61 with remove_diacritics 2 folds case and accents on both sides, so "citta"
-- finds "città". `search_doc` maps a record to its FTS row, so an edit replaces it.
CREATE TABLE search_doc (
    rowid     INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    record_id BLOB NOT NULL UNIQUE
) STRICT;

CREATE VIRTUAL TABLE search_fts USING fts5(
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

