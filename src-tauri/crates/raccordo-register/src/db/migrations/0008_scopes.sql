-- Raccordo register, schema 8: sharing scopes.
--
-- Every agreement, and every project outside an agreement, has a scope: who receives
-- it through sync (`privato`, `parti`, `rete`). What belongs to it follows it.
ALTER TABLE agreement ADD COLUMN scope TEXT NOT NULL DEFAULT 'parti';
ALTER TABLE project ADD COLUMN scope TEXT NOT NULL DEFAULT 'parti';

-- A person travels where a record referring to them does: every such link is looked up
-- by the person, this one was the last without an index.
CREATE INDEX meeting_convener ON meeting(convened_by_id) WHERE convened_by_id IS NOT NULL;

-- Sync's own bookkeeping, never journaled, never sent. A group is what travels
-- together: an agreement or a project with all that belongs to it, or a person with
-- the offices they hold; `grp` is its root record's id.
--
-- Groups whose changes this register did not send, from `from_seq` of its journal on:
-- private ones, and those the hub no longer shares with this office. Sent when the
-- group is shared again.
CREATE TABLE sync_withheld (
    grp TEXT PRIMARY KEY,
    from_seq INTEGER NOT NULL
) STRICT;
-- Groups the hub stopped sharing with this office (a narrowed scope, a party
-- removed): the copy here stays, read-only, and receives nothing further.
CREATE TABLE sync_unshared (
    grp TEXT PRIMARY KEY,
    since TEXT NOT NULL
) STRICT;
-- Groups this register sent to the hub or received from it: a group the hub never
-- had is not announced to it when it turns private.
CREATE TABLE sync_known_group (
    grp TEXT PRIMARY KEY
) STRICT;
-- A pull cursor inside the history of a group just shared with this office: the hub's
-- log position of that history already received.
ALTER TABLE sync_peer ADD COLUMN pulled_within INTEGER;
-- Records another office deleted that a person restored here as new ones (a conflict's
-- way out): each is copied once, however many of the records under it are restored.
CREATE TABLE sync_restored (
    old_id TEXT PRIMARY KEY,
    new_id TEXT NOT NULL
) STRICT;
-- Attachment files the hub holds whole, sent from here.
CREATE TABLE sync_blob_sent (
    sha256 TEXT PRIMARY KEY
) STRICT;
