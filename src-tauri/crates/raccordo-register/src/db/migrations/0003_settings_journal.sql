-- Raccordo register, schema 3: the installation's settings (who works, for which
-- office) are journaled like any record, op 'settings', so the history shows each
-- change and `audit verify` finds settings changed behind Raccordo's back. SQLite
-- cannot change a CHECK constraint, so the journal is rebuilt with the same rows:
-- dropping a table fires no DELETE trigger, and the chain covers the values, which
-- are copied as they are.
CREATE TABLE journal_v3 (
    seq       INTEGER PRIMARY KEY,
    hlc       INTEGER NOT NULL,
    site      BLOB NOT NULL,
    kind      TEXT NOT NULL,
    record_id BLOB NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete', 'snapshot', 'settings')),
    after     TEXT,
    before    TEXT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    office_id BLOB,
    hash      TEXT NOT NULL
) STRICT;
INSERT INTO journal_v3 SELECT seq, hlc, site, kind, record_id, op, after, before, at, actor, office_id, hash FROM journal;
DROP TABLE journal;
ALTER TABLE journal_v3 RENAME TO journal;
CREATE INDEX journal_record ON journal(record_id, seq);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'Il registro modifiche non si può modificare.'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'Il registro modifiche non si può cancellare.'); END;
