-- Superset: statements of its PostgreSQL engine spec beside SQLAlchemy's
-- inspector (the schemas a user may see, the search path).

-- query: schema names
SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' ORDER BY nspname;

-- query: search path
SHOW search_path;

-- query: table names of a schema
SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'shop' AND c.relkind = ANY (ARRAY['r', 'p']);

-- query: view names of a schema
SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'shop' AND c.relkind = ANY (ARRAY['v', 'm']);
