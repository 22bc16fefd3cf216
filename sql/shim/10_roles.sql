/*
 * Roles, with the attributes and settings a current Supabase image gives them.
 *
 * Roles are cluster-wide: each is created if missing, then its attributes are (re)asserted.
 * Login roles created here get the local stack's well-known password ("postgres"), like the
 * Supabase CLI's local stack. The bootstrap superuser of our clusters is supabase_admin, so
 * `postgres` is an ordinary role here as on Supabase: BYPASSRLS, CREATEROLE, not superuser.
 */
do $roles$
declare
  v_role record;
begin
  for v_role in
    select *
    from (values
      -- name, login, attributes
      ('anon', false, 'nologin inherit nobypassrls'),
      ('authenticated', false, 'nologin inherit nobypassrls'),
      ('service_role', false, 'nologin inherit bypassrls'),
      ('authenticator', true, 'login noinherit nobypassrls'),
      ('postgres', true, 'login inherit createdb createrole replication bypassrls'),
      ('supabase_admin', true, 'login superuser createdb createrole replication bypassrls'),
      ('supabase_auth_admin', true, 'login noinherit nocreaterole'),
      ('supabase_storage_admin', true, 'login noinherit createrole'),
      ('supabase_realtime_admin', true, 'login noinherit createrole replication'),
      ('supabase_replication_admin', true, 'login inherit replication'),
      ('supabase_read_only_user', true, 'login inherit bypassrls'),
      ('dashboard_user', false, 'nologin inherit createdb createrole replication'),
      ('supabase_superuser', false, 'nologin inherit')
    ) as r (name, can_login, attributes)
  loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = v_role.name) then
      execute format('create role %I', v_role.name);
      if v_role.can_login then
        execute format('alter role %I password %L', v_role.name, 'postgres');
      end if;
    end if;
    -- The bootstrap superuser cannot be demoted (e.g. Debian's postgres on an external server).
    if v_role.name = 'postgres'
      and (select oid from pg_catalog.pg_roles where rolname = 'postgres') = 10 then
      raise notice 'postgres is this cluster''s bootstrap superuser; leaving it superuser';
      continue;
    end if;
    execute format('alter role %I with %s', v_role.name,
      v_role.attributes || case when v_role.name = 'supabase_admin' then '' else ' nosuperuser' end);
  end loop;
end
$roles$;

-- Per-role settings (ALTER ROLE ... SET), as on Supabase; PostgREST applies these per request.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';
alter role postgres set search_path = "$user", public, extensions;
alter role supabase_admin set search_path = "$user", public, auth, extensions;
alter role supabase_auth_admin set search_path = auth;
alter role supabase_auth_admin set idle_in_transaction_session_timeout = 60000;
alter role supabase_storage_admin set search_path = storage;
alter role supabase_realtime_admin set search_path = realtime;

-- Memberships: PostgREST logs in as authenticator and switches to the request's role.
-- (One role per statement: sqlfluff's postgres dialect cannot parse a list of granted roles.)
grant anon to authenticator;
grant authenticated to authenticator;
grant service_role to authenticator;
grant authenticator to supabase_storage_admin;
grant pg_read_all_data to supabase_read_only_user;
grant pg_monitor to supabase_superuser;
grant pg_signal_backend to supabase_superuser;
grant pg_read_all_data to postgres;
grant pg_monitor to postgres;
grant pg_signal_backend to postgres;
grant supabase_superuser to postgres;
do $admin_option$
begin
  -- PostgreSQL 16+ needs ADMIN OPTION for postgres to grant these roles onwards, as on Supabase.
  if current_setting('server_version_num')::int >= 160000 then
    grant anon, authenticated, service_role to postgres with admin option;
  else
    grant anon, authenticated, service_role to postgres;
  end if;
  -- Hosted supautils lets postgres (its privileged_role) set the authenticator role's pgrst.*
  -- settings (reserved_roles "authenticator*", privileged_role_allowed_configs "pgrst.*"), e.g.
  -- PostgREST's db-pre-request. Locally the same right: on 16+ the admin option alone (no
  -- membership: neither inherit nor set); on 15 postgres's CREATEROLE already allows it. The
  -- migration test refuses anything else a migration could do with it (supautils would).
  if current_setting('server_version_num')::int >= 160000 then
    execute 'grant authenticator to postgres with admin true, inherit false, set false';
  end if;
  -- A placeholder setting (no pgrst module is loaded here) needs the right to set it (PG 15+).
  grant set on parameter "pgrst.db_pre_request" to postgres;
end
$admin_option$;
