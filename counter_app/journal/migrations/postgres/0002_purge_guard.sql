-- Journal schema v2 (PostgreSQL): the purge rules of the SQLite v2 schema.
--
-- A purge row is refused when it is dated in the future (5 minutes of clock
-- tolerance) or reaches past its own retention period; a personal row may only be
-- deleted by the purge that was just appended (the latest entry of its counter,
-- inserted after the entry whose data goes) and whose range covers that entry.
-- (INSERT ... ON CONFLICT DO UPDATE already meets the UPDATE triggers of v1, and a
-- plain duplicate insert the unique keys: PostgreSQL has no REPLACE that deletes.)
CREATE INDEX journal_entries_purges ON journal_entries (id) WHERE kind = 'purge';
-- the supervisor's login delay is counted from the logged attempts
CREATE INDEX journal_entries_logins ON journal_entries (recorded_at)
    WHERE kind = 'supervisor_login';

CREATE FUNCTION journal_purge_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    days INTEGER;
BEGIN
    IF NEW.kind <> 'purge' THEN
        RETURN NEW;
    END IF;
    days := (NEW.body::json #>> '{purge,retention_days}')::INTEGER;
    IF NEW.purge_before IS NULL OR days IS NULL OR days < 1
       OR NEW.recorded_at > to_char(
           (clock_timestamp() AT TIME ZONE 'UTC') + INTERVAL '5 minutes',
           'YYYY-MM-DD"T"HH24:MI:SS')
       OR NEW.purge_before > to_char(
           substr(NEW.recorded_at, 1, 26)::timestamp - make_interval(days => days),
           'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    THEN
        RAISE EXCEPTION 'a purge may not be dated in the future nor reach past its retention period'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER journal_entries_purge_rules BEFORE INSERT ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION journal_purge_rules();

CREATE OR REPLACE FUNCTION journal_personal_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        RAISE EXCEPTION 'personal data in the journal cannot be changed, only purged'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM journal_entries AS e, journal_entries AS p
        WHERE e.id = OLD.entry_id
          AND p.kind = 'purge'
          AND p.id > e.id
          AND p.purge_before > e.recorded_at
          AND p.recorded_at <= to_char(
              (clock_timestamp() AT TIME ZONE 'UTC') + INTERVAL '5 minutes',
              'YYYY-MM-DD"T"HH24:MI:SS')
          AND p.seq = (SELECT MAX(q.seq) FROM journal_entries AS q
                       WHERE q.counter_id = p.counter_id)
    ) THEN
        RAISE EXCEPTION 'personal data may only be removed by a logged retention purge'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$$;
