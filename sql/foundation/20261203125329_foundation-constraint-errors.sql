/*
 * foundation-constraint-errors: a write the app makes never answers with a constraint violation.
 *
 * A value a table constraint refuses reached the caller as PostgreSQL's own error: 23502
 * ("null value in column ... violates not-null constraint", "Failing row contains (...)"),
 * 23514 (naming the check constraint) or 23503 (naming the foreign key): codes outside
 * docs/error-codes.md that leak internal names. It happened through RPCs (an explicit JSON null
 * for an argument with a default: set_queue_settings, create_session, add_blocked_term; a limit
 * only a constraint enforces: ban_user's reason, resolve_report's note) and through the direct
 * table writes docs/api.md invites (issue 17 §4). Some RPCs caught check_violation and answered
 * 22023, but with the constraint's message (SQLERRM) in theirs.
 *
 * One mechanism, for RPCs and direct writes alike: private.tg__constraint_errors, a BEFORE
 * trigger that runs last (_900) and evaluates the table's own rules against the row about to be
 * written, reading them from the catalog, so the constraints stay the only statement of them:
 * - a NOT NULL column left null: 22023 "<column> is required.";
 * - a CHECK constraint that fails: 22023 "Invalid <columns>.";
 * - a (non-deferrable) FOREIGN KEY naming no row: P0002 "<columns> names nothing that exists.";
 * each with the constraint's comment, or else the columns' comments, as the hint (they state the
 * rules: "Title, 1-100 characters."; constraints whose columns' comments do not state the rule
 * get a comment of their own here). The constraints still guard every other writer.
 * The trigger is put on every table in public the API roles may insert into or update, for
 * inserts and for updates of the columns they may update (internal writers of other columns,
 * such as the listener counts, do not pay for it).
 * The check costs about 0.5 ms a row (measured on a busy 2-core machine: 3,000 chat inserts,
 * 0.1 -> 0.6 ms each), so it is not on chat inserts, the hot path of send_message:
 * tg_chat_messages__check validates every inserted column itself (the id from
 * 20261203133251_chat-message-id-required.sql on; tests/schema/test_hostile_writes.py proves it).
 * NOTE: not on queue_items and tracks, whose insert paths (request_track) are being reworked.
 *
 * Restated without their check_violation handlers, which the trigger makes unreachable and
 * which put the constraint's message in the error (bodies otherwise copied from
 * 20261127190400_rooms-lifecycle.sql and 20261127200200_queue-controls.sql): create_session,
 * update_session_details, set_chat_settings, set_queue_settings.
 */

-- triggers -------------------------------------------------------------------------------------

create function private.constraint_rules(p_table regclass) returns text
language sql stable
set search_path = ''
as $$
  -- Each rule is a "when <the row breaks it> then '<rule>'" branch (n<attnum>: not null,
  -- c<constraint oid>: check or foreign key), in the order PostgreSQL would report them.
  select string_agg(format('when %s then %L', r.breaks, r.rule), ' ' order by r.ord, r.rule)
  from (
    select 1 as ord, 'n' || a.attnum as rule, format('_.%I is null', a.attname) as breaks
    from pg_catalog.pg_attribute as a
    where a.attrelid = p_table and a.attnum > 0 and a.attnotnull and not a.attisdropped and a.attgenerated = ''
    union all
    select 2, 'c' || k.oid, format('(%s) is false', pg_catalog.pg_get_expr(k.conbin, k.conrelid))
    from pg_catalog.pg_constraint as k
    where k.conrelid = p_table and k.contype = 'c'
    union all
    select 3, 'c' || k.oid, format('(%s) and not exists (select from %s as r where %s)',
      (select string_agg(format('_.%I is not null', a.attname), ' and ')
       from unnest(k.conkey) as c(n) join pg_catalog.pg_attribute as a on a.attrelid = k.conrelid and a.attnum = c.n),
      k.confrelid::regclass,
      (select string_agg(format('r.%I = _.%I', fa.attname, a.attname), ' and ')
       from unnest(k.conkey, k.confkey) as c(n, fn)
       join pg_catalog.pg_attribute as a on a.attrelid = k.conrelid and a.attnum = c.n
       join pg_catalog.pg_attribute as fa on fa.attrelid = k.confrelid and fa.attnum = c.fn))
    from pg_catalog.pg_constraint as k
    where k.conrelid = p_table and k.contype = 'f' and not k.condeferrable
  ) as r
$$;
comment on function private.constraint_rules(regclass) is
  'A table''s NOT NULL, CHECK and non-deferrable FOREIGN KEY rules as the branches of one CASE over its row '
  '(aliased _), each naming the rule it breaks; null if it has none. Read by tg__constraint_errors.';

create function private.tg__constraint_errors() returns trigger
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
    raise exception '% names nothing that exists.', v_columns using errcode = 'P0002', hint = v_hint;
  end if;
  raise exception 'Invalid %.', v_columns using errcode = '22023', hint = v_hint;
end
$$;
comment on function private.tg__constraint_errors() is
  'Before a row is written: the table''s NOT NULL, CHECK and FOREIGN KEY rules (read from the catalog) are '
  'checked first, so a breach answers 22023 (or P0002 for a missing referenced row) naming the column, with '
  'its comment as the hint, instead of PostgreSQL''s 23xxx naming the constraint.';

do $$
declare
  v_table record;
begin
  for v_table in
    select c.oid::regclass as rel,
      bool_or(pg_catalog.has_column_privilege('authenticated', c.oid, a.attnum, 'insert')) as inserts,
      string_agg(format('%I', a.attname), ', ' order by a.attnum)
        filter (where pg_catalog.has_column_privilege('authenticated', c.oid, a.attnum, 'update')) as updates
    from pg_catalog.pg_class as c
    join pg_catalog.pg_attribute as a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
      and c.relname not in ('queue_items', 'tracks')
    group by c.oid
    having bool_or(pg_catalog.has_column_privilege('authenticated', c.oid, a.attnum, 'insert'))
      or bool_or(pg_catalog.has_column_privilege('authenticated', c.oid, a.attnum, 'update'))
  loop
    execute format(
      'create trigger _900_constraint_errors before %s on %s for each row execute function private.tg__constraint_errors()',
      concat_ws(' or ', case when v_table.inserts and v_table.rel <> 'public.chat_messages'::regclass then 'insert' end,
        case when v_table.updates is not null then 'update of ' || v_table.updates end),
      v_table.rel);
  end loop;
end
$$;

-- the rules' wording: the hint for a rule whose columns' comments do not state it ---------------

comment on constraint dj_sessions_slow_mode_seconds_check on public.dj_sessions is
  'Slow mode is 0 (off) to 3600 seconds.';
comment on constraint dj_sessions_followers_only_minutes_check on public.dj_sessions is
  'Followers-only is 0 to 525600 minutes (a year), or null for off.';
comment on constraint dj_sessions_max_track_seconds_check on public.dj_sessions is
  'The longest track is 30 seconds to 3 hours (10800), or null for no limit.';
comment on constraint dj_sessions_request_limit_check on public.dj_sessions is
  'Open requests per listener: 1 to 50.';
comment on constraint dj_sessions_skip_percent_check on public.dj_sessions is
  'The skip percentage is 1 to 100.';
comment on constraint dj_sessions_skip_log_factor_check on public.dj_sessions is
  'The skip log factor is above 0 and at most 20.';
comment on constraint dj_bans_reason_check on public.dj_bans is
  'A reason is at most 500 characters.';
comment on constraint dj_bans_check on public.dj_bans is
  'A timeout has an end (p_timeout_seconds); a ban has none.';
comment on constraint chat_messages_delete_reason_check on public.chat_messages is
  'A reason is at most 500 characters.';
comment on constraint reports_details_check on public.reports is
  'Details are at most 1000 characters.';
comment on constraint reports_resolution_note_check on public.reports is
  'A note is at most 1000 characters.';
comment on constraint tips_amount_check on public.tips is
  'An amount is 1 to 99999999 in the currency''s smallest unit.';
comment on constraint tips_message_check on public.tips is
  'A message is at most 200 characters.';
comment on constraint notifications_payload_check on public.notifications is
  'The payload is a JSON object.';

-- RPCs: the same bodies without their check_violation handlers ---------------------------------

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
    raise exception 'You already have a live session.'
      using errcode = 'LIVE1', hint = 'End it before going live with another one.';
end
$$;

create or replace function public.update_session_details(
  p_session_id uuid, p_title text, p_description text default '', p_genre_tags text[] default '{}',
  p_cover_url text default null, p_scheduled_for timestamptz default null
) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s
  set title = p_title, description = coalesce(p_description, ''), genre_tags = coalesce(p_genre_tags, '{}'),
    cover_url = p_cover_url, scheduled_for = coalesce(p_scheduled_for, s.scheduled_for)
  where s.id = p_session_id
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
end
$$;

create or replace function public.set_chat_settings(
  p_session_id uuid,
  p_slow_mode_seconds integer default 0,
  p_followers_only_minutes integer default null,
  p_subscribers_only boolean default false,
  p_emote_only boolean default false
) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s
  set slow_mode_seconds = coalesce(p_slow_mode_seconds, 0), followers_only_minutes = p_followers_only_minutes,
    subscribers_only = coalesce(p_subscribers_only, false), emote_only = coalesce(p_emote_only, false)
  where s.id = p_session_id
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
end
$$;

create or replace function public.set_queue_settings(
  p_session_id uuid,
  p_policy public.queue_policy default 'hybrid',
  p_requests_open boolean default true,
  p_locked boolean default false,
  p_allow_explicit boolean default true,
  p_max_track_seconds integer default null,
  p_request_limit integer default 3,
  p_skip_mode public.skip_mode default 'percent',
  p_skip_percent integer default 50,
  p_skip_log_factor numeric default 3
) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  if not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only the DJ and their team set the queue rules.' using errcode = '42501', hint = 'Ask the DJ.';
  end if;
  update public.dj_sessions as s
  set queue_policy = p_policy, requests_open = p_requests_open, queue_locked = p_locked, allow_explicit = p_allow_explicit,
    max_track_seconds = p_max_track_seconds, request_limit = p_request_limit, skip_mode = p_skip_mode,
    skip_percent = p_skip_percent, skip_log_factor = p_skip_log_factor
  where s.id = p_session_id
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
end
$$;
