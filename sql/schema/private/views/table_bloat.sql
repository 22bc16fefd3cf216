-- VIEW: table_bloat
CREATE VIEW private.table_bloat WITH (security_invoker='true') AS
 SELECT schemaname AS schema,
    relname AS table_name,
    n_live_tup AS live_rows,
    n_dead_tup AS dead_rows,
    round(((100.0 * (n_dead_tup)::numeric) / (NULLIF((n_live_tup + n_dead_tup), 0))::numeric), 1) AS dead_percent,
    pg_size_pretty(pg_total_relation_size((relid)::regclass)) AS total_size,
    GREATEST(last_vacuum, last_autovacuum) AS last_vacuum
   FROM pg_stat_user_tables s
  WHERE (schemaname = ANY (ARRAY['public'::name, 'private'::name, 'procrastinate'::name]))
  ORDER BY n_dead_tup DESC;

-- COMMENT: VIEW table_bloat
COMMENT ON VIEW private.table_bloat IS 'Dead rows per table (what vacuum has not reclaimed yet) and size, worst first: a rough bloat gauge.';
