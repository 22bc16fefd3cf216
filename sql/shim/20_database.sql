/*
 * The database, `public` and `extensions`, as on a current Supabase project.
 *
 * The database belongs to postgres (so postgres may create schemas, and owns `public` through
 * pg_database_owner on PG 15+). `public` has no default privileges for the API roles: since
 * 2026-10-30 Supabase no longer exposes new objects automatically, so every migration grants
 * explicitly. The built-in EXECUTE-to-PUBLIC on new functions stays, as there.
 */
do $db$
begin
  execute format('alter database %I owner to postgres', current_database());
  execute format('grant all on database %I to postgres', current_database());
end
$db$;

grant usage on schema public to postgres, anon, authenticated, service_role;
do $public_owner$
begin
  -- PG 15+ creates `public` owned by pg_database_owner; older clusters need the CREATE grant.
  if (select nspowner from pg_catalog.pg_namespace where nspname = 'public')
    <> (select oid from pg_catalog.pg_roles where rolname = 'pg_database_owner') then
    grant create on schema public to postgres;
  end if;
end
$public_owner$;

create schema if not exists extensions authorization postgres;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
grant create on schema extensions to postgres, dashboard_user;
alter default privileges for role supabase_admin in schema extensions
  grant all on tables to postgres with grant option;
alter default privileges for role supabase_admin in schema extensions
  grant all on functions to postgres with grant option;
alter default privileges for role supabase_admin in schema extensions
  grant all on sequences to postgres with grant option;

create extension if not exists pg_stat_statements with schema extensions;

do $ext$
begin
  -- Supabase installs these in `extensions`; the embedded PG 18 ships neither (no OpenSSL).
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'uuid-ossp') then
    create extension if not exists "uuid-ossp" with schema extensions;
  else
    -- Same signature and behaviour as uuid-ossp's, over the core generator.
    create or replace function extensions.uuid_generate_v4() returns uuid
    language sql volatile parallel safe
    as 'select pg_catalog.gen_random_uuid()';
    comment on function extensions.uuid_generate_v4() is
      'Local shim for uuid-ossp''s function (a random v4 uuid), where the extension is missing.';
  end if;
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pgcrypto') then
    create extension if not exists pgcrypto with schema extensions;
  end if;
end
$ext$;
