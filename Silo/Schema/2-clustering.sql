-- Membership: one version row per cluster, one row per silo generation.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL PRIMARY KEY,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- A membership write succeeds only when the table version is the one the silo read:
-- the version bump and the row write run in one function so that either both happen or neither.
CREATE OR REPLACE FUNCTION owg_membership_bump_version(deployment varchar, expected_version integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1, Timestamp = now()
     WHERE DeploymentId = deployment AND Version = expected_version;
    RETURN FOUND;
END $$;

CREATE OR REPLACE FUNCTION owg_membership_insert(
    deployment varchar, address_in varchar, port_in integer, generation_in integer,
    silo_name varchar, host_name varchar, status_in integer, proxy_port integer,
    start_time timestamptz, alive_time timestamptz, expected_version integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    IF NOT owg_membership_bump_version(deployment, expected_version) THEN RETURN 0; END IF;
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES (deployment, address_in, port_in, generation_in, silo_name, host_name, status_in, proxy_port, start_time, alive_time)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN RAISE EXCEPTION 'membership row exists' USING ERRCODE = 'unique_violation'; END IF;
    RETURN 1;
EXCEPTION WHEN unique_violation THEN
    RETURN 0;
END $$;

CREATE OR REPLACE FUNCTION owg_membership_update(
    deployment varchar, address_in varchar, port_in integer, generation_in integer,
    status_in integer, suspect_times varchar, alive_time timestamptz, expected_version integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    IF NOT owg_membership_bump_version(deployment, expected_version) THEN RETURN 0; END IF;
    UPDATE OrleansMembershipTable
       SET Status = status_in, SuspectTimes = suspect_times, IAmAliveTime = alive_time
     WHERE DeploymentId = deployment AND Address = address_in AND Port = port_in AND Generation = generation_in;
    IF NOT FOUND THEN RAISE EXCEPTION 'no membership row' USING ERRCODE = 'no_data_found'; END IF;
    RETURN 1;
EXCEPTION WHEN no_data_found THEN
    RETURN 0;
END $$;

SELECT owg_define_query('InsertMembershipVersionKey', '
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
    ON CONFLICT DO NOTHING;
    SELECT 1;');

SELECT owg_define_query('InsertMembershipKey', '
    SELECT owg_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                 @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);');

SELECT owg_define_query('UpdateMembershipKey', '
    SELECT owg_membership_update(@DeploymentId, @Address, @Port, @Generation,
                                 @Status, @SuspectTimes, @IAmAliveTime, @Version);');

SELECT owg_define_query('UpdateIAmAlivetimeKey', '
    UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
     WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;');

SELECT owg_define_query('MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
      FROM OrleansMembershipVersionTable v
      LEFT JOIN OrleansMembershipTable m
             ON m.DeploymentId = v.DeploymentId
            AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
     WHERE v.DeploymentId = @DeploymentId;');

SELECT owg_define_query('MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
      FROM OrleansMembershipVersionTable v
      LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
     WHERE v.DeploymentId = @DeploymentId;');

SELECT owg_define_query('GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation
      FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;');

SELECT owg_define_query('DeleteMembershipTableEntriesKey', '
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;');

-- Status 6 is Dead: only dead silos that stopped heartbeating before the cut-off are removed.
SELECT owg_define_query('CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < @IAmAliveTime;');

SELECT owg_define_query('CleanupDefunctSiloEntryKey', '
    DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND Status = 6
       AND Address = @Address AND Port = @Port AND Generation = @Generation
       AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
       AND SuspectTimes IS NOT DISTINCT FROM @SuspectTimes;');
