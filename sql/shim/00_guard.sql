/*
 * Guard: the shim is for local databases only.
 *
 * A hosted Supabase database has its services' own migration ledgers (auth.schema_migrations,
 * storage.migrations, realtime.schema_migrations) and never lets us be superuser; either one
 * means "this is a real Supabase": refuse before touching anything.
 */
do $guard$
begin
  if to_regclass('auth.schema_migrations') is not null
    or to_regclass('storage.migrations') is not null
    or to_regclass('realtime.schema_migrations') is not null then
    raise exception 'refusing to apply the local Supabase shim: this database is managed by Supabase'
      using errcode = 'WSHIM', hint = 'The shim is for local databases only; use `supabase db push` here.';
  end if;
  if not (select rolsuper from pg_catalog.pg_roles where rolname = current_user) then
    raise exception 'the local Supabase shim must be applied by a superuser (got %)', current_user
      using errcode = 'WSHIM', hint = 'Use the local cluster''s supabase_admin, or an admin URL.';
  end if;
end
$guard$;

-- Serialise concurrent shim runs on one cluster (roles are cluster-wide).
select pg_catalog.pg_advisory_xact_lock(hashtext('whatssound-supabase-shim'));
