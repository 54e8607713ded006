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

CREATE INDEX IF NOT EXISTS owg_audit_at ON owg_audit (service_id, at);

CREATE INDEX IF NOT EXISTS owg_audit_user_at ON owg_audit (service_id, username, at);
