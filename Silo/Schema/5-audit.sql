-- The audit log: logins, connects, session ends and admin actions, newest read first.
CREATE TABLE IF NOT EXISTS owg_audit
(
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id varchar(150)  NOT NULL,
    at         timestamptz   NOT NULL,
    kind       varchar(64)   NOT NULL,
    outcome    varchar(64)   NOT NULL,
    username   varchar(64)   NULL,
    source     varchar(64)   NULL,
    session_id uuid          NULL,
    server_id  varchar(64)   NULL,
    detail     varchar(1024) NULL
);

-- Who acted, for an admin's action: the account and the role of its login or token.
ALTER TABLE owg_audit ADD COLUMN IF NOT EXISTS actor varchar(64) NULL;
ALTER TABLE owg_audit ADD COLUMN IF NOT EXISTS actor_role varchar(16) NULL;

CREATE INDEX IF NOT EXISTS owg_audit_at ON owg_audit (service_id, at);

CREATE INDEX IF NOT EXISTS owg_audit_user_at ON owg_audit (service_id, username, at);

-- Failed logins are counted, not listed one by one: one row per outcome, user, address and minute
-- (its minute set, its count raised by each further failure), so a flood of guesses grows the
-- table by the guessers it has a minute, not by their guesses.
ALTER TABLE owg_audit ADD COLUMN IF NOT EXISTS count integer NOT NULL DEFAULT 1;
ALTER TABLE owg_audit ADD COLUMN IF NOT EXISTS minute timestamptz NULL;
CREATE UNIQUE INDEX IF NOT EXISTS owg_audit_counted ON owg_audit (service_id, minute, kind, outcome, username, source) NULLS NOT DISTINCT
    WHERE minute IS NOT NULL;

-- The silos' login may not change an event; this function, with its owner's rights, adds failed
-- logins to their row of the minute (service, at, kind, outcome, username, source, how many), and
-- touches no other row: only logins are counted.
CREATE OR REPLACE FUNCTION owg_audit_count(varchar, timestamptz, varchar, varchar, varchar, varchar, integer) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    INSERT INTO owg_audit AS a (service_id, at, kind, outcome, username, source, count, minute)
    SELECT $1, $2, $3, $4, $5, $6, greatest($7, 1), date_trunc('minute', $2) WHERE $3 = 'login'
    ON CONFLICT (service_id, minute, kind, outcome, username, source) WHERE minute IS NOT NULL
    DO UPDATE SET count = a.count + excluded.count
$$;

-- Old events go only through this function: the silos' login may add and read events but not
-- change or delete them (SchemaInstaller grants it so), and this function, which runs with its
-- owner's rights, deletes just the events of one service older than a retention of a day or more.
CREATE OR REPLACE FUNCTION owg_audit_prune(service varchar, retention interval) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    WITH deleted AS (
        DELETE FROM owg_audit WHERE service_id = $1 AND at < now() - greatest($2, interval '1 day') RETURNING 1)
    SELECT count(*) FROM deleted
$$;
