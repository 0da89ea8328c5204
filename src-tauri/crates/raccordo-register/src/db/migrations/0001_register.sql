-- Raccordo register, schema 1: the records, the change log, the audit chain.
-- Columns are named as the fields of the Rust records (src/model); ids are UUIDv7,
-- stored as 16-byte BLOBs (measured: 36-byte text keys made every index deeper).
-- Links are real foreign keys; storage defers them to the end of each transaction.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE administration (
    id              BLOB PRIMARY KEY,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    ipa_code        TEXT,
    fiscal_code     TEXT,
    seat_istat_code TEXT,
    province        TEXT,
    region          TEXT,
    pec             TEXT,
    website         TEXT,
    source          TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX administration_fiscal_code ON administration(fiscal_code) WHERE fiscal_code IS NOT NULL;
CREATE UNIQUE INDEX administration_ipa_code ON administration(ipa_code) WHERE ipa_code IS NOT NULL;
CREATE INDEX administration_name ON administration(name COLLATE NOCASE);

CREATE TABLE person (
    id          BLOB PRIMARY KEY,
    given_name  TEXT NOT NULL,
    family_name TEXT NOT NULL,
    email       TEXT,
    phone       TEXT
) STRICT;
CREATE INDEX person_name ON person(family_name COLLATE NOCASE, given_name COLLATE NOCASE);

CREATE TABLE office_held (
    id                BLOB PRIMARY KEY,
    person_id         BLOB NOT NULL REFERENCES person(id),
    administration_id BLOB NOT NULL REFERENCES administration(id),
    title             TEXT NOT NULL,
    from_date         TEXT,
    to_date           TEXT
) STRICT;
CREATE INDEX office_held_person ON office_held(person_id);
CREATE INDEX office_held_administration ON office_held(administration_id);

CREATE TABLE agreement (
    id                 BLOB PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
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
    themes             TEXT NOT NULL
) STRICT;
-- Lists sort by expiry with open-ended agreements last: the expression is in the
-- index so the first page is read in order, without sorting 100k rows.
CREATE INDEX agreement_expiry ON agreement(expires_on IS NULL, expires_on, number);
CREATE INDEX agreement_status_expiry ON agreement(status, expires_on IS NULL, expires_on, number);

CREATE TABLE party (
    id                BLOB PRIMARY KEY,
    agreement_id      BLOB NOT NULL REFERENCES agreement(id),
    administration_id BLOB NOT NULL REFERENCES administration(id),
    role              TEXT NOT NULL,
    adhered_on        TEXT,
    act_kind          TEXT,
    act_number        TEXT,
    act_date          TEXT,
    contact_person_id BLOB REFERENCES person(id)
) STRICT;
CREATE UNIQUE INDEX party_once ON party(agreement_id, administration_id);
CREATE INDEX party_administration ON party(administration_id, agreement_id);
CREATE INDEX party_contact ON party(contact_person_id) WHERE contact_person_id IS NOT NULL;

CREATE TABLE signature (
    id             BLOB PRIMARY KEY,
    agreement_id   BLOB NOT NULL REFERENCES agreement(id),
    party_id       BLOB NOT NULL REFERENCES party(id),
    person_id      BLOB NOT NULL REFERENCES person(id),
    office_held_id BLOB REFERENCES office_held(id),
    capacity       TEXT NOT NULL,
    delegation_act TEXT,
    signed_on      TEXT,
    method         TEXT NOT NULL
) STRICT;
CREATE INDEX signature_agreement ON signature(agreement_id);
CREATE INDEX signature_party ON signature(party_id);
CREATE INDEX signature_person ON signature(person_id);
CREATE INDEX signature_office ON signature(office_held_id) WHERE office_held_id IS NOT NULL;

CREATE TABLE commitment (
    id           BLOB PRIMARY KEY,
    agreement_id BLOB NOT NULL REFERENCES agreement(id),
    party_id     BLOB REFERENCES party(id),
    description  TEXT NOT NULL,
    due_on       TEXT,
    status       TEXT NOT NULL
) STRICT;
CREATE INDEX commitment_agreement ON commitment(agreement_id);
CREATE INDEX commitment_party ON commitment(party_id) WHERE party_id IS NOT NULL;
CREATE INDEX commitment_due ON commitment(status, due_on);

CREATE TABLE thematic_table (
    id             BLOB PRIMARY KEY,
    agreement_id   BLOB NOT NULL REFERENCES agreement(id),
    theme          TEXT NOT NULL,
    coordinator_id BLOB REFERENCES person(id),
    opened_on      TEXT,
    closed_on      TEXT
) STRICT;
CREATE INDEX thematic_table_agreement ON thematic_table(agreement_id);
CREATE INDEX thematic_table_coordinator ON thematic_table(coordinator_id) WHERE coordinator_id IS NOT NULL;

CREATE TABLE table_member (
    id                BLOB PRIMARY KEY,
    table_id          BLOB NOT NULL REFERENCES thematic_table(id),
    person_id         BLOB NOT NULL REFERENCES person(id),
    administration_id BLOB NOT NULL REFERENCES administration(id),
    role              TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX table_member_once ON table_member(table_id, person_id);
CREATE INDEX table_member_person ON table_member(person_id);
CREATE INDEX table_member_administration ON table_member(administration_id);

CREATE TABLE meeting (
    id                     BLOB PRIMARY KEY,
    agreement_id           BLOB NOT NULL REFERENCES agreement(id),
    table_id               BLOB REFERENCES thematic_table(id),
    number                 INTEGER NOT NULL,
    convened_by_id         BLOB REFERENCES person(id),
    convened_on            TEXT,
    date                   TEXT NOT NULL,
    starts_at              TEXT,
    ends_at                TEXT,
    place                  TEXT,
    online_link            TEXT,
    agenda_note            TEXT,
    chair_id               BLOB REFERENCES person(id),
    secretary_id           BLOB REFERENCES person(id),
    minutes_status         TEXT NOT NULL,
    minutes_approved_on    TEXT,
    minutes_approved_at_id BLOB REFERENCES meeting(id)
) STRICT;
CREATE INDEX meeting_agreement ON meeting(agreement_id);
CREATE INDEX meeting_table ON meeting(table_id) WHERE table_id IS NOT NULL;
CREATE INDEX meeting_date ON meeting(date);
CREATE INDEX meeting_chair ON meeting(chair_id) WHERE chair_id IS NOT NULL;
CREATE INDEX meeting_secretary ON meeting(secretary_id) WHERE secretary_id IS NOT NULL;
CREATE INDEX meeting_approved_at ON meeting(minutes_approved_at_id) WHERE minutes_approved_at_id IS NOT NULL;

CREATE TABLE agenda_item (
    id            BLOB PRIMARY KEY,
    meeting_id    BLOB NOT NULL REFERENCES meeting(id),
    position      INTEGER NOT NULL,
    title         TEXT NOT NULL,
    rapporteur_id BLOB REFERENCES person(id),
    discussion    TEXT,
    decision      TEXT,
    vote          TEXT NOT NULL,
    votes_for     INTEGER,
    votes_against INTEGER,
    abstained     INTEGER
) STRICT;
CREATE INDEX agenda_item_meeting ON agenda_item(meeting_id, position);
CREATE INDEX agenda_item_rapporteur ON agenda_item(rapporteur_id) WHERE rapporteur_id IS NOT NULL;

CREATE TABLE attendance (
    id                BLOB PRIMARY KEY,
    meeting_id        BLOB NOT NULL REFERENCES meeting(id),
    person_id         BLOB NOT NULL REFERENCES person(id),
    administration_id BLOB REFERENCES administration(id),
    presence          TEXT NOT NULL,
    delegate_id       BLOB REFERENCES person(id),
    joined_at         TEXT,
    left_at           TEXT
) STRICT;
CREATE UNIQUE INDEX attendance_once ON attendance(meeting_id, person_id);
CREATE INDEX attendance_person ON attendance(person_id);
CREATE INDEX attendance_administration ON attendance(administration_id) WHERE administration_id IS NOT NULL;
CREATE INDEX attendance_delegate ON attendance(delegate_id) WHERE delegate_id IS NOT NULL;

CREATE TABLE action (
    id           BLOB PRIMARY KEY,
    agreement_id BLOB NOT NULL REFERENCES agreement(id),
    meeting_id   BLOB REFERENCES meeting(id),
    owner_id     BLOB REFERENCES person(id),
    description  TEXT NOT NULL,
    due_on       TEXT,
    status       TEXT NOT NULL,
    done_on      TEXT
) STRICT;
CREATE INDEX action_agreement ON action(agreement_id);
CREATE INDEX action_meeting ON action(meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX action_owner ON action(owner_id) WHERE owner_id IS NOT NULL;
CREATE INDEX action_due ON action(status, due_on);

CREATE TABLE project (
    id                     BLOB PRIMARY KEY,
    title                  TEXT NOT NULL,
    description            TEXT,
    cup                    TEXT,
    cig                    TEXT,
    lead_administration_id BLOB REFERENCES administration(id),
    agreement_id           BLOB REFERENCES agreement(id),
    table_id               BLOB REFERENCES thematic_table(id),
    status                 TEXT NOT NULL,
    starts_on              TEXT,
    ends_on                TEXT,
    progress_percent       INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX project_cup ON project(cup) WHERE cup IS NOT NULL;
CREATE INDEX project_lead ON project(lead_administration_id);
CREATE INDEX project_agreement ON project(agreement_id);
CREATE INDEX project_table ON project(table_id) WHERE table_id IS NOT NULL;
CREATE INDEX project_status ON project(status);

CREATE TABLE project_partner (
    id                BLOB PRIMARY KEY,
    project_id        BLOB NOT NULL REFERENCES project(id),
    administration_id BLOB NOT NULL REFERENCES administration(id),
    role              TEXT
) STRICT;
CREATE UNIQUE INDEX project_partner_once ON project_partner(project_id, administration_id);
CREATE INDEX project_partner_administration ON project_partner(administration_id);

CREATE TABLE funding_line (
    id           BLOB PRIMARY KEY,
    project_id   BLOB NOT NULL REFERENCES project(id),
    source       TEXT NOT NULL,
    measure      TEXT,
    amount_cents INTEGER NOT NULL,
    act          TEXT
) STRICT;
CREATE INDEX funding_line_project ON funding_line(project_id);

CREATE TABLE milestone (
    id         BLOB PRIMARY KEY,
    project_id BLOB NOT NULL REFERENCES project(id),
    title      TEXT NOT NULL,
    planned_on TEXT,
    actual_on  TEXT
) STRICT;
CREATE INDEX milestone_project ON milestone(project_id);

-- File contents, once per SHA-256, whatever they are attached to.
CREATE TABLE blob (
    sha256 TEXT PRIMARY KEY,
    bytes  BLOB NOT NULL
) STRICT;

CREATE TABLE attachment (
    id          BLOB PRIMARY KEY,
    owner_kind  TEXT NOT NULL,
    owner_id    BLOB NOT NULL,
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL REFERENCES blob(sha256),
    description TEXT
) STRICT;
CREATE INDEX attachment_owner ON attachment(owner_id);
CREATE INDEX attachment_sha256 ON attachment(sha256);

-- The journal: one row per write of one record, both the history people read
-- (Registro modifiche: who, when, which fields, old and new values) and the change
-- log that sync exchanges (the new values, stamped with the hybrid logical clock
-- `hlc` and the `site`). `after` holds the new value of every field that changed
-- (on create, every field that is not empty; a field not named is empty); `before`
-- their old values. A delete is a tombstone: `after` is NULL and the id stays in
-- `tombstone`. Hash-chained: `hash` = SHA-256 over the previous row's hash and
-- this row, so a row edited or removed afterwards breaks every later link. Triggers refuse UPDATE
-- and DELETE. `op` 'snapshot' marks the load of the directory, which every site
-- does alike and sync never sends.
CREATE TABLE journal (
    seq       INTEGER PRIMARY KEY,
    hlc       INTEGER NOT NULL,
    site      BLOB NOT NULL,
    kind      TEXT NOT NULL,
    record_id BLOB NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete', 'snapshot')),
    after     TEXT,
    before    TEXT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    office_id BLOB,
    hash      TEXT NOT NULL
) STRICT;
CREATE INDEX journal_record ON journal(record_id, seq);

CREATE TABLE tombstone (
    record_id BLOB PRIMARY KEY,
    kind      TEXT NOT NULL,
    hlc       INTEGER NOT NULL,
    site      BLOB NOT NULL
) STRICT;

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'Il registro modifiche non si può modificare.'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'Il registro modifiche non si può cancellare.'); END;

-- Where a record's content comes from, when it is not an office's own work: the
-- demo register marks what it took from its seed texts and what it made up.
CREATE TABLE provenance (
    record_id BLOB PRIMARY KEY,
    origin    TEXT NOT NULL CHECK (origin IN ('seed', 'demo')),
    note      TEXT NOT NULL
) STRICT;
