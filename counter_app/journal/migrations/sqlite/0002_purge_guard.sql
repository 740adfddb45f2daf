-- Journal schema v2 (SQLite): close two paths around the append-only rules.
--
-- 1. INSERT OR REPLACE (and REPLACE INTO) deletes the conflicting row without
--    firing DELETE triggers, so it could rewrite an entry or its personal data with
--    every v1 trigger in place. BEFORE INSERT fires before the conflict is resolved:
--    an insert whose id or (counter_id, seq) is already taken is refused outright.
-- 2. Any correctly hashed purge row, even one dated in the future on a made-up
--    counter, let personal data of recent entries be deleted. A purge row is now
--    refused when it is dated in the future (5 minutes of clock tolerance) or reaches
--    past its own retention period; and a personal row may only be deleted by the
--    purge that was just appended (the latest entry of its counter, inserted after
--    the entry whose data goes) and whose range covers that entry.
CREATE INDEX journal_entries_purges ON journal_entries (id) WHERE kind = 'purge';
-- the supervisor's login delay is counted from the logged attempts
CREATE INDEX journal_entries_logins ON journal_entries (recorded_at)
    WHERE kind = 'supervisor_login';

CREATE TRIGGER journal_entries_no_replace BEFORE INSERT ON journal_entries
WHEN EXISTS (SELECT 1 FROM journal_entries AS x WHERE x.id = NEW.id)
  OR EXISTS (SELECT 1 FROM journal_entries AS x
             WHERE x.counter_id = NEW.counter_id AND x.seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'journal entries are append-only');
END;

CREATE TRIGGER journal_personal_no_replace BEFORE INSERT ON journal_personal
WHEN EXISTS (SELECT 1 FROM journal_personal AS x WHERE x.entry_id = NEW.entry_id)
BEGIN
    SELECT RAISE(ABORT, 'personal data in the journal cannot be changed, only purged');
END;

CREATE TRIGGER journal_entries_purge_rules BEFORE INSERT ON journal_entries
WHEN NEW.kind = 'purge' AND (
    NEW.purge_before IS NULL
    OR json_extract(NEW.body, '$.purge.retention_days') IS NULL
    OR json_extract(NEW.body, '$.purge.retention_days') < 1
    OR NEW.recorded_at > strftime('%Y-%m-%dT%H:%M:%S', 'now', '+5 minutes')
    OR NEW.purge_before > strftime(
        '%Y-%m-%dT%H:%M:%S', substr(NEW.recorded_at, 1, 19),
        '-' || CAST(json_extract(NEW.body, '$.purge.retention_days') AS INTEGER) || ' days'
    ) || substr(NEW.recorded_at, 20)
)
BEGIN
    SELECT RAISE(ABORT, 'a purge may not be dated in the future nor reach past its retention period');
END;

DROP TRIGGER journal_personal_delete_only_by_purge;

CREATE TRIGGER journal_personal_delete_only_by_purge BEFORE DELETE ON journal_personal
WHEN NOT EXISTS (
    SELECT 1 FROM journal_entries AS e, journal_entries AS p
    WHERE e.id = OLD.entry_id
      AND p.kind = 'purge'
      AND p.id > e.id
      AND p.purge_before > e.recorded_at
      AND p.recorded_at <= strftime('%Y-%m-%dT%H:%M:%S', 'now', '+5 minutes')
      AND p.seq = (SELECT MAX(q.seq) FROM journal_entries AS q WHERE q.counter_id = p.counter_id)
)
BEGIN
    SELECT RAISE(ABORT, 'personal data may only be removed by a logged retention purge');
END;
