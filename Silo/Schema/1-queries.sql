-- Orleans' ADO.NET providers read the SQL they run from this table, by key.
-- Every script in this folder is idempotent: a second run changes nothing.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

CREATE OR REPLACE FUNCTION owg_define_query(key varchar, text varchar) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (key, text)
    ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
$$;
