-- Grain state. A row is one grain of one type in one service; Version is its ETag.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              varchar(150) NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    GrainIdHash            integer      NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
    Version                integer      NOT NULL,
    UNIQUE NULLS NOT DISTINCT (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString)
);

-- Returns the new version, or the expected one unchanged when another writer got there
-- first (Orleans then raises InconsistentStateException).
CREATE OR REPLACE FUNCTION owg_storage_write(
    service varchar, grain_type varchar, n0 bigint, n1 bigint, extension varchar,
    id_hash integer, type_hash integer, expected_version integer, payload bytea)
RETURNS TABLE (NewGrainStateVersion integer) LANGUAGE plpgsql AS $$
BEGIN
    IF expected_version IS NULL THEN
        INSERT INTO OrleansStorage (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString,
                                    GrainIdHash, GrainTypeHash, PayloadBinary, Version)
        VALUES (service, grain_type, n0, n1, extension, id_hash, type_hash, payload, 1)
        ON CONFLICT DO NOTHING;
        RETURN QUERY SELECT CASE WHEN FOUND THEN 1 END;
    ELSE
        UPDATE OrleansStorage
           SET PayloadBinary = payload, ModifiedOn = now(), Version = Version + 1
         WHERE ServiceId = service AND GrainTypeString = grain_type AND GrainIdN0 = n0 AND GrainIdN1 = n1
           AND GrainIdExtensionString IS NOT DISTINCT FROM extension AND Version = expected_version;
        RETURN QUERY SELECT CASE WHEN FOUND THEN expected_version + 1 ELSE expected_version END;
    END IF;
END $$;

SELECT owg_define_query('WriteToStorageKey', '
    SELECT * FROM owg_storage_write(@ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
                                    @GrainIdHash, @GrainTypeHash, @GrainStateVersion, @PayloadBinary);');

-- Orleans' serializer writes binary payloads only; the XML and JSON columns of the provider's
-- read contract are always null.
SELECT owg_define_query('ReadFromStorageKey', '
    SELECT PayloadBinary, NULL::xml AS PayloadXml, NULL::text AS PayloadJson, now(), Version
      FROM OrleansStorage
     WHERE ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
       AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString;');

SELECT owg_define_query('ClearStorageKey', '
    UPDATE OrleansStorage
       SET PayloadBinary = NULL, ModifiedOn = now(), Version = Version + 1
     WHERE ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
       AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
       AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;');

SELECT owg_define_query('DeleteStorageKey', '
    DELETE FROM OrleansStorage
     WHERE ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
       AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
       AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NewGrainStateVersion;');
