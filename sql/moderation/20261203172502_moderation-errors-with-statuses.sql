/*
 * moderation-errors-with-statuses: this domain's errors reach the app with the HTTP status they mean
 * (issue 19 §1).
 *
 * Every raise of a code whose status is not 400 (docs/error-codes.md, HTTP column) becomes a
 * PGRST raise built by hidden.api_error / hidden.api_response
 * (20261203172346_foundation-api-statuses.sql says why: PostgREST answers P0002 with 500 and
 * our own codes with 400). Nothing else changes: each function is restated from its newest
 * definition (named above it), with the same code, message, hint and details.
 * Restated: hidden.check_request, hidden.report_content, private.tg_dj_moderators__apply,
 * private.tg_moderation_log__append_only, private.tg_reports__resolve, public.appoint_moderator,
 * public.ban_user, public.resolve_report.
 */

-- From 20261127190500_moderation-log-and-limits.sql.
create or replace function private.tg_moderation_log__append_only() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise sqlstate 'PGRST' using
    message = hidden.api_error(
      'NOEDT',
      'The moderation log is append-only.',
      'Record a correcting action instead of editing history.'
    ),
    detail = hidden.api_response('NOEDT');
end
$$;

-- From 20261127190600_moderation-actions.sql.
create or replace function private.tg_dj_moderators__apply() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if TG_OP = 'INSERT' then
    if exists (select 1 from public.dj_moderators as m where m.dj_id = NEW.dj_id and m.user_id = NEW.user_id) then
      return NEW;  -- already a moderator: the conflict makes this a no-op, nothing to log
    end if;
    if NEW.dj_id = NEW.user_id then
      raise exception 'You moderate your own sessions already.' using errcode = 'SELFX', hint = 'Appoint someone else.';
    end if;
    if hidden.is_anonymous(NEW.user_id) then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('ANONY', 'Guests cannot be moderators.', 'They need to sign in first.'),
        detail = hidden.api_response('ANONY');
    end if;
    NEW.appointed_by := auth.uid();
    NEW.created_at := now();
    update public.session_members as m set role = 'moderator'
    from public.dj_sessions as s
    where s.id = m.session_id and s.dj_id = NEW.dj_id and m.user_id = NEW.user_id and m.role = 'listener';
    perform private.log_moderation(NEW.dj_id, null, 'appoint_moderator', NEW.user_id, null, '', null, null);
    return NEW;
  end if;
  update public.session_members as m set role = 'listener'
  from public.dj_sessions as s
  where s.id = m.session_id and s.dj_id = OLD.dj_id and m.user_id = OLD.user_id and m.role = 'moderator';
  perform private.log_moderation(OLD.dj_id, null, 'remove_moderator', OLD.user_id, null, '', null, null);
  return OLD;
end
$$;

-- From 20261127190600_moderation-actions.sql.
create or replace function public.appoint_moderator(p_user_id uuid) returns public.dj_moderators
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_full_account('host');
  v_row public.dj_moderators;
begin
  insert into public.dj_moderators (dj_id, user_id) values (v_uid, p_user_id)
  on conflict do nothing returning * into v_row;
  if v_row is null then
    select * into v_row from public.dj_moderators as m where m.dj_id = v_uid and m.user_id = p_user_id;
  end if;
  return v_row;
exception
  when foreign_key_violation then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such user.', 'Check the user id.'),
      detail = hidden.api_response('P0002');
end
$$;

-- From 20261127190600_moderation-actions.sql.
create or replace function public.ban_user(
  p_dj_id uuid, p_user_id uuid, p_reason text default '', p_timeout_seconds integer default null
) returns public.dj_bans
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_bans;
begin
  perform hidden.require_user();
  if not hidden.can_moderate_dj(p_dj_id) then
    raise exception 'Only the DJ and their moderators can ban here.' using errcode = '42501', hint = 'Report the user instead.';
  end if;
  -- A new ban or timeout replaces the active one of the same kind.
  update public.dj_bans as b set revoked_at = now()
  where b.dj_id = p_dj_id and b.user_id = p_user_id and b.revoked_at is null
    and b.kind = case when p_timeout_seconds is null then 'ban' else 'timeout' end::public.ban_kind;
  insert into public.dj_bans (dj_id, user_id, kind, reason, expires_at)
  values (p_dj_id, p_user_id, case when p_timeout_seconds is null then 'ban' else 'timeout' end::public.ban_kind,
    coalesce(p_reason, ''), now() + make_interval(secs => p_timeout_seconds))
  returning * into v_row;
  return v_row;
exception
  when foreign_key_violation then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such user.', 'Check the user id.'),
      detail = hidden.api_response('P0002');
end
$$;

-- From 20261127191000_moderation-reports.sql.
create or replace function hidden.report_content(
  p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text
) returns uuid
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_report public.reports;
  v_wait double precision;
begin
  v_report.target_kind := p_target_kind;
  if p_target_kind = 'message' then
    select c.id, c.author_id, c.session_id into v_report.target_message_id, v_report.target_user_id, v_report.target_session_id
    from public.chat_messages as c where c.id = p_target_id;
  elsif p_target_kind = 'user' then
    select p.id into v_report.target_user_id from public.profiles as p where p.id = p_target_id;
  else
    select s.id, s.dj_id into v_report.target_session_id, v_report.target_user_id
    from public.dj_sessions as s where s.id = p_target_id;
  end if;
  if coalesce(v_report.target_message_id, v_report.target_user_id, v_report.target_session_id) is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'Nothing to report there.', 'Check the target id and kind.'),
      detail = hidden.api_response('P0002');
  end if;
  select r.id into v_report.id from public.reports as r
  where r.reporter_id = v_uid and r.target_kind = p_target_kind and r.status = 'open'
    and coalesce(r.target_message_id, r.target_user_id, r.target_session_id) = p_target_id;
  if v_report.id is not null then
    return v_report.id;  -- already reported and still open: idempotent
  end if;
  v_wait := hidden.take_token(v_uid, 'report', (hidden.setting('report_rate_capacity'))::integer,
    (hidden.setting('report_rate_per_second'))::double precision);
  if v_wait > 0 then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'RATEL',
        'You have filed many reports recently.',
        'Try again later.',
        json_build_object('retry_after_seconds', v_wait)::text
      ),
      detail = hidden.api_response('RATEL', v_wait);
  end if;
  insert into public.reports (reporter_id, target_kind, target_user_id, target_session_id, target_message_id, reason, details)
  values (v_uid, p_target_kind, v_report.target_user_id, v_report.target_session_id, v_report.target_message_id,
    p_reason, left(coalesce(p_details, ''), 1000))
  returning id into v_report.id;
  return v_report.id;
end
$$;

-- From 20261127191000_moderation-reports.sql.
create or replace function private.tg_reports__resolve() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if NEW.status = 'open' and OLD.status <> 'open' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('STATE', 'A resolved report cannot be reopened.', 'File a new report.'),
      detail = hidden.api_response('STATE');
  end if;
  if NEW.status <> OLD.status then
    NEW.handled_by := auth.uid();
    NEW.handled_at := now();
    perform private.log_moderation(null, NEW.target_session_id, 'resolve_report', NEW.target_user_id,
      NEW.target_message_id, coalesce(NEW.resolution_note, ''), jsonb_build_object('report_id', NEW.id, 'status', OLD.status),
      jsonb_build_object('status', NEW.status));
  end if;
  return NEW;
end
$$;

-- From 20261127191000_moderation-reports.sql.
create or replace function public.resolve_report(
  p_report_id uuid, p_status public.report_status, p_note text default null
)
returns public.reports
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.reports;
begin
  perform hidden.require_user();
  update public.reports as r set status = p_status, resolution_note = p_note where r.id = p_report_id
  returning * into v_row;
  if v_row is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such report (or you are not staff).', 'Staff only.'),
      detail = hidden.api_response('P0002');
  end if;
  return v_row;
end
$$;

-- From 20261203125323_moderation-deleted-account-tokens.sql.
create or replace function hidden.check_request() returns void
language plpgsql stable
set search_path = ''
as $$
declare
  v_refusal text := hidden.caller_refusal();
begin
  if v_refusal = 'SUSPD' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('SUSPD', 'This account is suspended.', 'Contact support.'),
      detail = hidden.api_response('SUSPD');
  elsif v_refusal = 'LOGIN' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'LOGIN',
        'This account no longer exists.',
        'Sign out, then sign in again (an anonymous sign-in is enough to listen).'
      ),
      detail = hidden.api_response('LOGIN');
  end if;
end
$$;
