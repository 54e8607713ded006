-- The database's roles: owg_owner owns database owg and its schema and applies it at install;
-- owg_silo may use the Orleans tables (install-schema grants it that) and nothing more.
-- Idempotent. @OWNER_PASSWORD@ and @SILO_PASSWORD@ are put in by the caller; statements end with
-- a semicolon and a blank line, which both psql and postgres --single -j read.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'owg_owner') THEN CREATE ROLE owg_owner LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'owg_silo') THEN CREATE ROLE owg_silo LOGIN; END IF;
END $$;

ALTER ROLE owg_owner PASSWORD '@OWNER_PASSWORD@';

-- The superuser logs in only as the database host's own postgres user (peer), never over the network.
ALTER ROLE postgres PASSWORD NULL;

ALTER ROLE owg_silo PASSWORD '@SILO_PASSWORD@';

ALTER DATABASE owg OWNER TO owg_owner;

ALTER SCHEMA public OWNER TO owg_owner;

REVOKE ALL ON SCHEMA public FROM PUBLIC;

GRANT USAGE ON SCHEMA public TO owg_silo;

-- An installation from before the roles: its tables and functions were the superuser's.
DO $$ DECLARE o record; BEGIN
  FOR o IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'owg_owner' LOOP
    EXECUTE format('ALTER TABLE %I OWNER TO owg_owner', o.tablename);
  END LOOP;
  FOR o IN SELECT p.oid::regprocedure AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> 'owg_owner' LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO owg_owner', o.f);
  END LOOP;
END $$;

