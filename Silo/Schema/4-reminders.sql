-- Reminders. GrainHash places a reminder on the ring of silos; Version is its ETag.
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(150)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS OrleansRemindersTable_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

SELECT owg_define_query('UpsertReminderRowKey', '
    INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
       SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
           Version = r.Version + 1
    RETURNING Version;');

SELECT owg_define_query('ReadReminderRowsKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId AND GrainId = @GrainId;');

SELECT owg_define_query('ReadReminderRowKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;');

-- The ring range (BeginHash, EndHash]: one query when it does not wrap, one when it does.
SELECT owg_define_query('ReadRangeRows1Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;');

SELECT owg_define_query('ReadRangeRows2Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);');

SELECT owg_define_query('DeleteReminderRowKey', '
    WITH gone AS (
        DELETE FROM OrleansRemindersTable
         WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
           AND Version = @Version
        RETURNING 1)
    SELECT count(*)::integer FROM gone;');

SELECT owg_define_query('DeleteReminderRowsKey', '
    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;');
