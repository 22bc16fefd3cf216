/*
 * foundation-errors-with-statuses: this domain's errors reach the app with the HTTP status they mean
 * (issue 19 §1).
 *
 * Every raise of a code whose status is not 400 (docs/error-codes.md, HTTP column) becomes a
 * PGRST raise built by hidden.api_error / hidden.api_response
 * (20261203172346_foundation-api-statuses.sql says why: PostgREST answers P0002 with 500 and
 * our own codes with 400). Nothing else changes: each function is restated from its newest
 * definition (named above it), with the same code, message, hint and details.
 * Restated: hidden.require_user, private.tg__constraint_errors, public.create_session.
 */

-- From 20261202070700_foundation-cached-helpers.sql.
create or replace function hidden.require_user() returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'LOGIN',
        'You need to be signed in to do that.',
        'Sign in (an anonymous sign-in is enough to listen).'
      ),
      detail = hidden.api_response('LOGIN');
  -- Suspended: Supabase Auth's banned_until is in the future (a platform ban).
  elsif coalesce((select u.banned_until > now() from auth.users as u where u.id = v_uid), false) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('SUSPD', 'This account is suspended.', 'Contact support.'),
      detail = hidden.api_response('SUSPD');
  end if;
  return v_uid;
end
$$;

-- From 20261203125329_foundation-constraint-errors.sql.
create or replace function public.create_session(
  p_title text,
  p_description text default '',
  p_genre_tags text[] default '{}',
  p_visibility public.session_visibility default 'public',
  p_scheduled_for timestamptz default null,
  p_start_now boolean default false,
  p_cover_url text default null
) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  insert into public.dj_sessions (title, description, genre_tags, visibility, scheduled_for, status, cover_url)
  values (p_title, coalesce(p_description, ''), coalesce(p_genre_tags, '{}'), p_visibility, p_scheduled_for,
    case when p_start_now then 'live' else 'scheduled' end::public.session_status, p_cover_url)
  returning * into v_row;
  return v_row;
exception
  when unique_violation then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'LIVE1',
        'You already have a live session.',
        'End it before going live with another one.'
      ),
      detail = hidden.api_response('LIVE1');
end
$$;

-- From 20261203125329_foundation-constraint-errors.sql.
create or replace function private.tg__constraint_errors() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_setting text := 'whatssound.constraint_rules_' || TG_RELID::oid;
  v_version text;
  v_cached text;
  v_cases text;
  v_failed text;
  v_columns text;
  v_hint text;
  v_constraint oid;
begin
  -- Deparsing the rules costs more than checking them, so they are kept per session and table
  -- in a session setting, with the catalog rows' versions they were read from (xmin changes
  -- with every ALTER TABLE of a constraint or a column): a migration takes effect at once.
  v_version := concat((select string_agg(k.oid || ':' || k.xmin, ',' order by k.oid)
                       from pg_catalog.pg_constraint as k where k.conrelid = TG_RELID),
    '/', (select string_agg(a.xmin::text, ',' order by a.attnum)
          from pg_catalog.pg_attribute as a where a.attrelid = TG_RELID and a.attnum > 0));
  v_cached := pg_catalog.current_setting(v_setting, true);
  if starts_with(v_cached, v_version || E'\n') then
    v_cases := substr(v_cached, length(v_version) + 2);
  else
    v_cases := coalesce(private.constraint_rules(TG_RELID), '');
    perform pg_catalog.set_config(v_setting, v_version || E'\n' || v_cases, false);
  end if;
  if v_cases = '' then
    return NEW;
  end if;
  execute format('select case %s end from (select ($1).*) as _', v_cases) into v_failed using NEW;
  if v_failed is null then
    return NEW;
  end if;
  if v_failed like 'n%' then
    select a.attname, coalesce(pg_catalog.col_description(TG_RELID, a.attnum), 'See docs/api.md.')
    into v_columns, v_hint
    from pg_catalog.pg_attribute as a where a.attrelid = TG_RELID and a.attnum = substr(v_failed, 2)::smallint;
    raise exception '% is required.', v_columns using errcode = '22023', hint = v_hint;
  end if;
  v_constraint := substr(v_failed, 2)::oid;
  select string_agg(a.attname, ', ' order by c.i),
    coalesce(pg_catalog.obj_description(v_constraint, 'pg_constraint'),
      string_agg(a.attname || ': ' || pg_catalog.col_description(TG_RELID, a.attnum), ' ' order by c.i),
      'See docs/api.md.')
  into v_columns, v_hint
  from pg_catalog.pg_constraint as k
  cross join lateral unnest(k.conkey) with ordinality as c(n, i)
  join pg_catalog.pg_attribute as a on a.attrelid = k.conrelid and a.attnum = c.n
  where k.oid = v_constraint;
  if (select k.contype from pg_catalog.pg_constraint as k where k.oid = v_constraint) = 'f' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', format('%s names nothing that exists.', v_columns), v_hint),
      detail = hidden.api_response('P0002');
  end if;
  raise exception 'Invalid %.', v_columns using errcode = '22023', hint = v_hint;
end
$$;
