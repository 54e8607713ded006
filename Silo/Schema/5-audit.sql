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

-- Old events go only through this function: the silos' login may add and read events but not
-- change or delete them (SchemaInstaller grants it so), and this function, which runs with its
-- owner's rights, deletes just the events of one service older than a retention of a day or more.
CREATE OR REPLACE FUNCTION owg_audit_prune(service varchar, retention interval) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    WITH deleted AS (
        DELETE FROM owg_audit WHERE service_id = $1 AND at < now() - greatest($2, interval '1 day') RETURNING 1)
    SELECT count(*) FROM deleted
$$;
