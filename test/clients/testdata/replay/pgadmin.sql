-- pgAdmin 4: the batch it sends right after connecting, then the server
-- and role facts it reads before showing the browser tree.

-- query: session setup
SET DateStyle=ISO; SET client_min_messages=notice;
SELECT set_config('bytea_output','hex',false) FROM pg_show_all_settings() WHERE name = 'bytea_output';
SET client_encoding='utf-8';

-- query: version
SELECT version();

-- query: database
SELECT db.oid as did, db.datname, db.datallowconn,
       pg_encoding_to_char(db.encoding) AS serverencoding,
       has_database_privilege(db.oid, 'CREATE') as cancreate,
       datistemplate
FROM pg_catalog.pg_database db
WHERE db.datname = current_database();

-- query: gssapi
SELECT gss_authenticated, encrypted
FROM pg_catalog.pg_stat_gssapi
WHERE pid = pg_backend_pid();

-- query: in recovery
SELECT CASE WHEN usesuper
       THEN pg_catalog.pg_is_in_recovery()
       ELSE FALSE
       END as inrecovery,
       CASE WHEN usesuper AND pg_catalog.pg_is_in_recovery()
       THEN pg_catalog.pg_is_wal_replay_paused()
       ELSE FALSE
       END as isreplaypaused
FROM pg_catalog.pg_user WHERE usename=current_user;

-- query: schemas
SELECT
    nsp.oid,
    nsp.nspname as name,
    has_schema_privilege(nsp.oid, 'CREATE') as can_create,
    has_schema_privilege(nsp.oid, 'USAGE') as has_usage
FROM
    pg_namespace nsp
WHERE
    nspname NOT LIKE E'pg\\_%'
ORDER BY nspname;
