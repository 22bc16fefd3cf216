/*
 * moderation-reports: reports of messages, users and sessions, into a queue only staff read.
 *
 * Reporting is rate-limited and idempotent (one open report per reporter and target); the
 * reporter gets the report id back but cannot read the queue. Staff resolve reports
 * (actioned or dismissed), which is logged on the platform chain.
 */

insert into private.settings (key, value, description) values
  ('report_rate_capacity', '5', 'Reports a user may file at once.'),
  ('report_rate_per_second', '0.0033', 'Sustained report rate per user (about one per 5 minutes).');

create table public.reports (
  id uuid primary key default gen_random_uuid(),
  reporter_id uuid references public.profiles (id) on delete set null,
  target_kind public.report_target not null,
  target_user_id uuid references public.profiles (id) on delete cascade,
  target_session_id uuid references public.dj_sessions (id) on delete cascade,
  target_message_id uuid references public.chat_messages (id) on delete cascade,
  reason public.report_reason not null,
  details text not null default '' check (char_length(details) <= 1000),
  status public.report_status not null default 'open',
  created_at timestamptz not null default now(),
  handled_by uuid references public.profiles (id) on delete set null,
  handled_at timestamptz,
  resolution_note text check (char_length(resolution_note) <= 1000),
  check (
    (target_kind = 'message' and target_message_id is not null)
    or (target_kind = 'user' and target_user_id is not null)
    or (target_kind = 'session' and target_session_id is not null)
  )
);
comment on table public.reports is 'Reports filed by users; the queue only staff read.';
comment on column public.reports.id is 'Report id (returned to the reporter).';
comment on column public.reports.reporter_id is 'Who reported.';
comment on column public.reports.target_kind is 'message, user or session.';
comment on column public.reports.target_user_id is 'The reported user (the author, for a message).';
comment on column public.reports.target_session_id is 'The session concerned.';
comment on column public.reports.target_message_id is 'The reported message.';
comment on column public.reports.reason is 'Why.';
comment on column public.reports.details is 'Free text from the reporter.';
comment on column public.reports.status is 'open, actioned or dismissed.';
comment on column public.reports.created_at is 'When filed.';
comment on column public.reports.handled_by is 'Staff member who resolved it.';
comment on column public.reports.handled_at is 'When it was resolved.';
comment on column public.reports.resolution_note is 'What staff did.';
create unique index reports_one_open_per_target_idx on public.reports (
  reporter_id, target_kind, coalesce(target_message_id, target_user_id, target_session_id)
) where status = 'open';
create index reports_queue_idx on public.reports (status, created_at);
create index reports_target_user_idx on public.reports (target_user_id);
create index reports_target_session_idx on public.reports (target_session_id);
create index reports_target_message_idx on public.reports (target_message_id);
create index reports_handled_by_idx on public.reports (handled_by);
alter table public.reports enable row level security;
create policy "Staff read the report queue" on public.reports
  for select to authenticated using ((select hidden.is_staff()));
create policy "Staff resolve reports" on public.reports
  for update to authenticated using ((select hidden.is_staff())) with check ((select hidden.is_staff()));
grant select on public.reports to authenticated;
grant update (status, resolution_note) on public.reports to authenticated;
-- NOTE: no insert grant: reports are filed through report_content (rate-limited, deduplicated).

create function hidden.report_content(
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
    raise exception 'Nothing to report there.' using errcode = 'P0002', hint = 'Check the target id and kind.';
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
    raise exception 'You have filed many reports recently.' using errcode = 'RATEL',
      detail = json_build_object('retry_after_seconds', v_wait)::text, hint = 'Try again later.';
  end if;
  insert into public.reports (reporter_id, target_kind, target_user_id, target_session_id, target_message_id, reason, details)
  values (v_uid, p_target_kind, v_report.target_user_id, v_report.target_session_id, v_report.target_message_id,
    p_reason, left(coalesce(p_details, ''), 1000))
  returning id into v_report.id;
  return v_report.id;
end
$$;
comment on function hidden.report_content(public.report_target, uuid, public.report_reason, text) is
  'Implementation of public.report_content (staff-only table, so a definer).';
grant execute on function hidden.report_content(public.report_target, uuid, public.report_reason, text)
  to authenticated;

create function public.report_content(
  p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text default ''
) returns uuid
language sql volatile
set search_path = ''
as $$ select hidden.report_content(p_target_kind, p_target_id, p_reason, p_details) $$;
comment on function public.report_content(public.report_target, uuid, public.report_reason, text) is
  E'Report a message, user or session to WhatsSound staff. Idempotent while the report is open. Returns the report id.\n'
  'Errors: LOGIN; P0002 nothing there; RATEL too many reports (details.retry_after_seconds).\n'
  'Example: await supabase.rpc(''report_content'', { p_target_kind: ''message'', p_target_id: msgId, p_reason: ''spam'' })';
grant execute on function public.report_content(public.report_target, uuid, public.report_reason, text)
  to authenticated;

create function private.tg_reports__resolve() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if NEW.status = 'open' and OLD.status <> 'open' then
    raise exception 'A resolved report cannot be reopened.' using errcode = 'STATE', hint = 'File a new report.';
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
comment on function private.tg_reports__resolve() is 'When staff resolve a report: record who and when, and log it on the platform chain.';
create trigger _200_resolve before update on public.reports
  for each row execute function private.tg_reports__resolve();

create function public.resolve_report(p_report_id uuid, p_status public.report_status, p_note text default null)
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
    raise exception 'No such report (or you are not staff).' using errcode = 'P0002', hint = 'Staff only.';
  end if;
  return v_row;
end
$$;
comment on function public.resolve_report(uuid, public.report_status, text) is
  E'Close a report as actioned or dismissed, with a note (staff only; logged). Returns the report.\n'
  'Errors: LOGIN; P0002 no such report or not staff; STATE reopening.\n'
  'Example: await supabase.rpc(''resolve_report'', { p_report_id: id, p_status: ''actioned'', p_note: ''banned'' })';
grant execute on function public.resolve_report(uuid, public.report_status, text) to authenticated;
