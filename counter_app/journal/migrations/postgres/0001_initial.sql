-- Journal schema v1 (PostgreSQL): same tables and rules as the SQLite schema.
-- Entries are append-only: a trigger function refuses UPDATE, DELETE and TRUNCATE.
-- Personal data may only be deleted for entries older than a logged purge.
CREATE TABLE journal_entries (
    id            BIGSERIAL PRIMARY KEY,
    counter_id    TEXT   NOT NULL,
    seq           BIGINT NOT NULL,
    recorded_at   TEXT   NOT NULL,
    day           TEXT   NOT NULL,
    kind          TEXT   NOT NULL,
    check_id      TEXT   NOT NULL,
    personal_hash TEXT   NOT NULL,
    purge_before  TEXT,
    body          TEXT   NOT NULL,
    summary       TEXT   NOT NULL,
    prev_hash     TEXT   NOT NULL,
    hash          TEXT   NOT NULL,
    UNIQUE (counter_id, seq)
);
CREATE INDEX journal_entries_by_day ON journal_entries (day, counter_id, seq);
CREATE INDEX journal_entries_by_check ON journal_entries (check_id);
CREATE INDEX journal_entries_by_time ON journal_entries (recorded_at);

CREATE TABLE journal_personal (
    entry_id     BIGINT PRIMARY KEY REFERENCES journal_entries (id),
    salt         TEXT NOT NULL,
    clerk_name   TEXT,
    clerk_insz   TEXT,
    subject_insz TEXT
);

CREATE FUNCTION journal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'journal entries are append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER journal_entries_no_change BEFORE UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION journal_refuse_change();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
    FOR EACH STATEMENT EXECUTE FUNCTION journal_refuse_change();

CREATE FUNCTION journal_personal_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        RAISE EXCEPTION 'personal data in the journal cannot be changed, only purged'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM journal_entries AS p
        WHERE p.kind = 'purge'
          AND p.purge_before <= p.recorded_at  -- a purge cannot reach into its own future
          AND p.purge_before > (SELECT e.recorded_at FROM journal_entries AS e WHERE e.id = OLD.entry_id)
    ) THEN
        RAISE EXCEPTION 'personal data may only be removed by a logged retention purge'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER journal_personal_guard BEFORE UPDATE OR DELETE ON journal_personal
    FOR EACH ROW EXECUTE FUNCTION journal_personal_guard();
CREATE TRIGGER journal_personal_no_truncate BEFORE TRUNCATE ON journal_personal
    FOR EACH STATEMENT EXECUTE FUNCTION journal_refuse_change();
