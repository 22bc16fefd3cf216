/*
 * realtime-schedule: run the realtime flush every second inside the database where pg_cron is
 * available (hosted Supabase: Database > Extensions > pg_cron), so live ticks keep flowing even
 * while the Python service is down or redeploying. Where pg_cron is not available (the local
 * embedded PostgreSQL) this does nothing and the service's scheduler runs the same calls. Both
 * may run together: the flush is idempotent and rooms are claimed with SKIP LOCKED.
 *
 * Jobs are scheduled by name, so re-running this (or a later migration changing the schedule)
 * updates them instead of adding duplicates. Unschedule with cron.unschedule('<name>').
 */

do $$
begin
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron;
    perform cron.schedule('whatssound-realtime-flush', '1 seconds', 'select private.realtime_flush()');
    perform cron.schedule('whatssound-realtime-prune', '*/5 * * * *', 'select private.realtime_prune()');
  end if;
end
$$;
