-- VIEW: long_transactions
CREATE VIEW private.long_transactions WITH (security_invoker='true') AS
 SELECT pid,
    usename AS role,
    application_name,
    state,
    wait_event_type,
    (now() - xact_start) AS running_for,
    "left"(query, 200) AS query
   FROM pg_stat_activity a
  WHERE ((xact_start < (now() - '00:00:30'::interval)) AND (pid <> pg_backend_pid()))
  ORDER BY xact_start;

-- COMMENT: VIEW long_transactions
COMMENT ON VIEW private.long_transactions IS 'Transactions open for more than 30 s (they hold back vacuum and may hold locks), oldest first.';
