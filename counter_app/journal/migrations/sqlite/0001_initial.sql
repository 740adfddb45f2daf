-- Journal schema v1 (SQLite). Entries are append-only: triggers refuse UPDATE and
-- DELETE. Personal data sits in journal_personal, which refuses UPDATE and allows
-- DELETE only for rows older than a purge entry recorded in the chain.
CREATE TABLE journal_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    counter_id    TEXT    NOT NULL,
    seq           INTEGER NOT NULL,
    recorded_at   TEXT    NOT NULL,   -- UTC, fixed width: YYYY-MM-DDTHH:MM:SS.ffffffZ
    day           TEXT    NOT NULL,   -- local date of the counter (YYYY-MM-DD)
    kind          TEXT    NOT NULL,
    check_id      TEXT    NOT NULL,
    personal_hash TEXT    NOT NULL,   -- salted commitment of the personal fields
    purge_before  TEXT,               -- purge entries only
    body          TEXT    NOT NULL,   -- canonical JSON of the non-personal entry
    summary       TEXT    NOT NULL,   -- canonical JSON of what lists and figures need
    prev_hash     TEXT    NOT NULL,
    hash          TEXT    NOT NULL,
    UNIQUE (counter_id, seq)
);
CREATE INDEX journal_entries_by_day ON journal_entries (day, counter_id, seq);
CREATE INDEX journal_entries_by_check ON journal_entries (check_id);
CREATE INDEX journal_entries_by_time ON journal_entries (recorded_at);

CREATE TABLE journal_personal (
    entry_id     INTEGER PRIMARY KEY REFERENCES journal_entries (id),
    salt         TEXT NOT NULL,
    clerk_name   TEXT,
    clerk_insz   TEXT,
    subject_insz TEXT
);

CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN
    SELECT RAISE(ABORT, 'journal entries are append-only');
END;

CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN
    SELECT RAISE(ABORT, 'journal entries are append-only');
END;

CREATE TRIGGER journal_personal_no_update BEFORE UPDATE ON journal_personal
BEGIN
    SELECT RAISE(ABORT, 'personal data in the journal cannot be changed, only purged');
END;

CREATE TRIGGER journal_personal_delete_only_by_purge BEFORE DELETE ON journal_personal
WHEN NOT EXISTS (
    SELECT 1 FROM journal_entries AS p
    WHERE p.kind = 'purge'
      AND p.purge_before <= p.recorded_at  -- a purge cannot reach into its own future
      AND p.purge_before > (SELECT e.recorded_at FROM journal_entries AS e WHERE e.id = OLD.entry_id)
)
BEGIN
    SELECT RAISE(ABORT, 'personal data may only be removed by a logged retention purge');
END;
