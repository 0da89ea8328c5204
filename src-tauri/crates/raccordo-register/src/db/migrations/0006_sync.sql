-- Raccordo register, schema 6: what merging with other offices needs.
--
-- 1. Each journal row names, per field it sets, the version of that field it
--    replaced (`parents`, JSON: {"field": [[hlc, "site"], …]}); a delete names every
--    version of the record its site held. From these, every site derives the same
--    conflicts from the same rows, whatever order they arrived in (see `merge`).
-- 2. Keys the register keeps unique (an agreement's number, fiscal and IPA codes, a
--    CUP, a party, a member or a presence twice) can collide between offices that
--    worked apart: sync stores both records and shows the collision. So uniqueness is
--    checked by the register's rules on every local write, and the indexes that
--    enforced it become ordinary ones. An agreement's number was a column constraint:
--    the table is rebuilt with the same rows.
-- 3. Changes received, by origin (`site`, `hlc`), so that a batch applied twice
--    changes nothing; changes held back because their clock is too far ahead; the
--    conflicts derived from the journal, kept for listing.
PRAGMA defer_foreign_keys = ON;

ALTER TABLE journal ADD COLUMN parents TEXT;
CREATE INDEX journal_origin ON journal(site, hlc);

DROP INDEX administration_fiscal_code;
DROP INDEX administration_ipa_code;
CREATE INDEX administration_fiscal_code ON administration(fiscal_code) WHERE fiscal_code IS NOT NULL;
CREATE INDEX administration_ipa_code ON administration(ipa_code) WHERE ipa_code IS NOT NULL;
DROP INDEX party_once;
CREATE INDEX party_once ON party(agreement_id, administration_id);
DROP INDEX table_member_once;
CREATE INDEX table_member_once ON table_member(table_id, person_id);
DROP INDEX attendance_once;
CREATE INDEX attendance_once ON attendance(meeting_id, person_id);
DROP INDEX project_cup;
CREATE INDEX project_cup ON project(cup) WHERE cup IS NOT NULL;
DROP INDEX project_partner_once;
CREATE INDEX project_partner_once ON project_partner(project_id, administration_id);

CREATE TABLE agreement_v6 (
    id                 BLOB PRIMARY KEY,
    number             TEXT NOT NULL,
    kind               TEXT NOT NULL,
    subject            TEXT NOT NULL,
    premises           TEXT,
    objectives         TEXT NOT NULL,
    signature_place    TEXT,
    signed_on          TEXT,
    effective_from     TEXT,
    duration_months    INTEGER,
    expires_on         TEXT,
    renewal            TEXT NOT NULL,
    open_to            TEXT,
    financial_terms    TEXT,
    status             TEXT NOT NULL,
    signed_file_sha256 TEXT,
    themes             TEXT NOT NULL,
    signature_check    TEXT
) STRICT;
INSERT INTO agreement_v6 (id, number, kind, subject, premises, objectives, signature_place, signed_on,
    effective_from, duration_months, expires_on, renewal, open_to, financial_terms, status,
    signed_file_sha256, themes, signature_check)
SELECT id, number, kind, subject, premises, objectives, signature_place, signed_on,
    effective_from, duration_months, expires_on, renewal, open_to, financial_terms, status,
    signed_file_sha256, themes, signature_check FROM agreement;
DROP TABLE agreement;
ALTER TABLE agreement_v6 RENAME TO agreement;
CREATE INDEX agreement_number ON agreement(number);
CREATE INDEX agreement_expiry ON agreement(expires_on IS NULL, expires_on, number);
CREATE INDEX agreement_status_expiry ON agreement(status, expires_on IS NULL, expires_on, number);

CREATE TABLE sync_held (
    site      BLOB NOT NULL,
    hlc       INTEGER NOT NULL,
    change    TEXT NOT NULL,
    received  TEXT NOT NULL,
    PRIMARY KEY (site, hlc)
) STRICT;

-- Derived from the journal and the records (`merge::conflicts`): rebuilt for a record
-- whenever a change to it is applied; never the source of truth.
CREATE TABLE sync_conflict (
    id        BLOB PRIMARY KEY,
    kind      TEXT NOT NULL,
    record_id BLOB NOT NULL,
    what      TEXT NOT NULL,
    field     TEXT,
    detail    TEXT NOT NULL
) STRICT;
CREATE INDEX sync_conflict_record ON sync_conflict(record_id);

-- Records received whose link points at a record (or a file) not received yet: stored
-- once it arrives (`merge`).
CREATE TABLE sync_waiting (
    record_id BLOB PRIMARY KEY,
    kind      TEXT NOT NULL,
    awaits    TEXT NOT NULL
) STRICT;
CREATE INDEX sync_waiting_awaits ON sync_waiting(awaits);
