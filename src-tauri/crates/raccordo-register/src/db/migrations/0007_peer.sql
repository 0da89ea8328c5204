-- Raccordo register, schema 7: the hub this register syncs with.
--
-- One row at most: a register syncs with one hub, as one installation of one office.
-- The credential is not here: it lives in the operating system's keyring, under the
-- hub and installation ids. The cursors count the two logs: `pushed_seq` is this
-- journal's last row the hub acknowledged; `pulled_seq` and `pulled_link` the hub's
-- log position and its chain hash there, so that a hub restored from an older copy is
-- recognised (the link it has at that position differs, or it has none).
-- Sync's own bookkeeping, not register data: never journaled, never sent.
CREATE TABLE sync_peer (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    hub_url TEXT NOT NULL,
    hub_id TEXT NOT NULL,
    installation_id TEXT NOT NULL,
    office_id TEXT NOT NULL,
    pin_sha256 TEXT,
    pushed_seq INTEGER NOT NULL DEFAULT 0,
    pulled_seq INTEGER NOT NULL DEFAULT 0,
    pulled_link TEXT NOT NULL DEFAULT '',
    joined_at TEXT NOT NULL,
    last_sync_at TEXT,
    last_error TEXT
) STRICT;
