/*
 * moderation-actions: moderators, bans and timeouts, blocked terms, and the reports queue.
 *
 * The tables are written directly under RLS (DJs and their moderators act on their own
 * channel); before-triggers enforce the rules a policy cannot express with a clear error
 * (moderators cannot ban the DJ or each other, nobody bans themselves) and after-triggers
 * apply the effects (a ban removes the user from the DJ's rooms) and append to the moderation
 * log. The RPCs are the app's convenient, idempotent entry points over those writes.
 * Timeouts end by themselves: every check compares expires_at with now(), no job needed.
 */

create type public.ban_kind as enum ('ban', 'timeout');
comment on type public.ban_kind is 'ban: permanent, removes from the DJ''s rooms; timeout: no chat until it expires.';
create type public.term_action as enum ('reject', 'hold');
comment on type public.term_action is 'What a blocked term does: reject the message, or hold it for a moderator.';
create type public.report_target as enum ('message', 'user', 'session');
comment on type public.report_target is 'What a report is about.';
create type public.report_reason as enum (
  'spam', 'harassment', 'hate', 'sexual', 'violence', 'self_harm', 'impersonation', 'other'
);
comment on type public.report_reason is 'Why something is reported.';
create type public.report_status as enum ('open', 'actioned', 'dismissed');
comment on type public.report_status is 'Report queue state.';

-- bans and timeouts ----------------------------------------------------------------------------

create table public.dj_bans (
  id uuid primary key default gen_random_uuid(),
  dj_id uuid not null references public.profiles (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  kind public.ban_kind not null,
  reason text not null default '' check (char_length(reason) <= 500),
  moderator_id uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references public.profiles (id) on delete set null,
  check ((kind = 'ban') = (expires_at is null))
);
comment on table public.dj_bans is
  'Bans (permanent) and timeouts (until expires_at) in a DJ''s channel. Active = not revoked and not expired.';
comment on column public.dj_bans.id is 'Ban id.';
comment on column public.dj_bans.dj_id is 'The DJ whose channel it applies to.';
comment on column public.dj_bans.user_id is 'Who is banned or timed out.';
comment on column public.dj_bans.kind is 'ban or timeout.';
comment on column public.dj_bans.reason is 'Reason given by the moderator (shown to the user).';
comment on column public.dj_bans.moderator_id is 'Who issued it.';
comment on column public.dj_bans.created_at is 'When.';
comment on column public.dj_bans.expires_at is 'End of a timeout; NULL for a ban.';
comment on column public.dj_bans.revoked_at is 'When it was lifted early (unban), if it was.';
comment on column public.dj_bans.revoked_by is 'Who lifted it.';
create index dj_bans_active_idx on public.dj_bans (dj_id, user_id) where revoked_at is null;
create index dj_bans_user_idx on public.dj_bans (user_id);
create index dj_bans_moderator_idx on public.dj_bans (moderator_id);
create index dj_bans_revoked_by_idx on public.dj_bans (revoked_by);
alter table public.dj_bans enable row level security;
create policy "Bans are visible to the channel's team, the user and staff" on public.dj_bans
  for select to authenticated using (
    dj_id = (select auth.uid()) or user_id = (select auth.uid())
    or dj_id = any(array(select hidden.my_moderated_dj_ids())) or (select hidden.is_staff())
  );
create policy "The channel's team issues bans" on public.dj_bans
  for insert to authenticated with check (
    dj_id = (select auth.uid()) or dj_id = any(array(select hidden.my_moderated_dj_ids()))
    or (select hidden.is_staff())
  );
create policy "The channel's team lifts bans" on public.dj_bans
  for update to authenticated
  using (
    dj_id = (select auth.uid()) or dj_id = any(array(select hidden.my_moderated_dj_ids()))
    or (select hidden.is_staff())
  )
  with check (
    dj_id = (select auth.uid()) or dj_id = any(array(select hidden.my_moderated_dj_ids()))
    or (select hidden.is_staff())
  );
grant select on public.dj_bans to authenticated;
grant insert (dj_id, user_id, kind, reason, expires_at) on public.dj_bans to authenticated;
grant update (revoked_at) on public.dj_bans to authenticated;
-- NOTE: no delete: lifting a ban sets revoked_at, history stays.

create function hidden.is_banned(p_dj_id uuid, p_user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.dj_bans as b
    where b.dj_id = p_dj_id and b.user_id = p_user_id and b.kind = 'ban' and b.revoked_at is null
  )
$$;
comment on function hidden.is_banned(uuid, uuid) is 'Whether the user is banned from the DJ''s channel.';
grant execute on function hidden.is_banned(uuid, uuid) to authenticated, service_role;

create function hidden.timeout_until(p_dj_id uuid, p_user_id uuid) returns timestamptz
language sql stable security definer
set search_path = ''
as $$
  select max(b.expires_at) from public.dj_bans as b
  where b.dj_id = p_dj_id and b.user_id = p_user_id and b.kind = 'timeout' and b.revoked_at is null
    and b.expires_at > now()
$$;
comment on function hidden.timeout_until(uuid, uuid) is 'When the user''s active timeout in the DJ''s channel ends (NULL: none).';
grant execute on function hidden.timeout_until(uuid, uuid) to authenticated, service_role;

create function private.tg_dj_bans__guard() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
begin
  if TG_OP = 'INSERT' then
    if NEW.user_id = v_uid then
      raise exception 'You cannot ban yourself.' using errcode = 'SELFX', hint = 'Pick another user.';
    end if;
    if NEW.user_id = NEW.dj_id or (
      v_uid <> NEW.dj_id and not hidden.is_staff()
      and exists (select 1 from public.dj_moderators as m where m.dj_id = NEW.dj_id and m.user_id = NEW.user_id)
    ) then
      raise exception 'Moderators cannot ban the DJ or other moderators.'
        using errcode = '42501', hint = 'Ask the DJ (or staff).';
    end if;
    if NEW.kind = 'timeout' and (NEW.expires_at <= now() or NEW.expires_at > now() + interval '14 days') then
      raise exception 'A timeout lasts from 1 second to 14 days.' using errcode = '22023', hint = 'Use a ban for longer.';
    end if;
    NEW.moderator_id := v_uid;
    NEW.created_at := now();
    NEW.revoked_at := null;
    NEW.revoked_by := null;
  else
    if OLD.revoked_at is not null then
      NEW.revoked_at := OLD.revoked_at;  -- lifting twice changes nothing
    else
      NEW.revoked_by := v_uid;
    end if;
  end if;
  return NEW;
end
$$;
comment on function private.tg_dj_bans__guard() is
  'Before a ban is written: no self-bans, moderators cannot ban the DJ or other moderators, timeouts last 1 s-14 days.';
create trigger _200_guard before insert or update on public.dj_bans
  for each row execute function private.tg_dj_bans__guard();

create function private.tg_dj_bans__apply() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if TG_OP = 'INSERT' then
    if NEW.kind = 'ban' then
      update public.session_members as m set left_at = now()
      from public.dj_sessions as s
      where s.id = m.session_id and s.dj_id = NEW.dj_id and m.user_id = NEW.user_id and m.left_at is null;
    end if;
    perform private.log_moderation(NEW.dj_id, null, NEW.kind::text::public.moderation_action, NEW.user_id,
      null, NEW.reason, null, jsonb_build_object('ban_id', NEW.id, 'expires_at', NEW.expires_at));
  elsif NEW.revoked_at is not null and OLD.revoked_at is null then
    perform private.log_moderation(NEW.dj_id, null, 'unban', NEW.user_id, null, '',
      jsonb_build_object('ban_id', NEW.id, 'kind', NEW.kind, 'expires_at', NEW.expires_at),
      jsonb_build_object('revoked_at', NEW.revoked_at));
  end if;
  return null;
end
$$;
comment on function private.tg_dj_bans__apply() is
  'After a ban is written: a ban removes the user from the DJ''s rooms; every change is logged.';
create trigger _500_apply after insert or update on public.dj_bans
  for each row execute function private.tg_dj_bans__apply();

-- moderators -----------------------------------------------------------------------------------

create policy "DJs appoint their moderators" on public.dj_moderators
  for insert to authenticated with check (dj_id = (select auth.uid()));
create policy "DJs remove their moderators" on public.dj_moderators
  for delete to authenticated using (dj_id = (select auth.uid()));
grant insert (dj_id, user_id) on public.dj_moderators to authenticated;
grant delete on public.dj_moderators to authenticated;

create function private.tg_dj_moderators__apply() returns trigger
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
      raise exception 'Guests cannot be moderators.' using errcode = 'ANONY', hint = 'They need to sign in first.';
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
comment on function private.tg_dj_moderators__apply() is
  'When a moderator is appointed or removed: check, update their role in the DJ''s rooms, log it.';
create trigger _200_apply before insert or delete on public.dj_moderators
  for each row execute function private.tg_dj_moderators__apply();

-- blocked terms --------------------------------------------------------------------------------

create table public.dj_blocked_terms (
  dj_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  term text not null check (term = lower(term) and char_length(term) between 2 and 64),
  action public.term_action not null default 'reject',
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (dj_id, term)
);
comment on table public.dj_blocked_terms is
  'Words or phrases a DJ''s chat refuses (reject) or holds for review (hold); matched case-insensitively as whole words.';
comment on column public.dj_blocked_terms.dj_id is 'The DJ (defaults to the caller).';
comment on column public.dj_blocked_terms.term is 'The term, lower-case, 2-64 characters.';
comment on column public.dj_blocked_terms.action is 'reject or hold.';
comment on column public.dj_blocked_terms.created_by is 'Who added it.';
comment on column public.dj_blocked_terms.created_at is 'When.';
create index dj_blocked_terms_created_by_idx on public.dj_blocked_terms (created_by);
alter table public.dj_blocked_terms enable row level security;
create policy "The channel's team manages blocked terms" on public.dj_blocked_terms
  for all to authenticated
  using (dj_id = (select auth.uid()) or dj_id = any(array(select hidden.my_moderated_dj_ids())))
  with check (dj_id = (select auth.uid()) or dj_id = any(array(select hidden.my_moderated_dj_ids())));
grant select, delete on public.dj_blocked_terms to authenticated;
grant insert (dj_id, term, action) on public.dj_blocked_terms to authenticated;
grant update (action) on public.dj_blocked_terms to authenticated;

create function private.tg_dj_blocked_terms__apply() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if TG_OP = 'DELETE' then
    perform private.log_moderation(OLD.dj_id, null, 'remove_blocked_term', null, null, '',
      jsonb_build_object('term', OLD.term, 'action', OLD.action), null);
    return OLD;
  end if;
  NEW.term := lower(btrim(NEW.term));
  if TG_OP = 'INSERT' then
    if exists (select 1 from public.dj_blocked_terms as t where t.dj_id = NEW.dj_id and t.term = NEW.term) then
      return NEW;  -- an upsert: its update path logs the change
    end if;
    NEW.created_by := auth.uid();
    NEW.created_at := now();
  end if;
  perform private.log_moderation(NEW.dj_id, null, 'add_blocked_term', null, null, '',
    case when TG_OP = 'UPDATE' then jsonb_build_object('term', OLD.term, 'action', OLD.action) end,
    jsonb_build_object('term', NEW.term, 'action', NEW.action));
  return NEW;
end
$$;
comment on function private.tg_dj_blocked_terms__apply() is 'Normalise blocked terms and log every change.';
create trigger _200_apply before insert or update or delete on public.dj_blocked_terms
  for each row execute function private.tg_dj_blocked_terms__apply();

-- RPCs -----------------------------------------------------------------------------------------

create function public.appoint_moderator(p_user_id uuid) returns public.dj_moderators
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
    raise exception 'No such user.' using errcode = 'P0002', hint = 'Check the user id.';
end
$$;
comment on function public.appoint_moderator(uuid) is
  E'Make a user a moderator of all your sessions (idempotent). Returns the appointment.\n'
  'Errors: LOGIN; ANONY; P0002 no such user; SELFX yourself.\n'
  'Example: await supabase.rpc(''appoint_moderator'', { p_user_id: userId })';
grant execute on function public.appoint_moderator(uuid) to authenticated;

create function public.remove_moderator(p_user_id uuid) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
begin
  delete from public.dj_moderators as m where m.dj_id = v_uid and m.user_id = p_user_id;
  return found;
end
$$;
comment on function public.remove_moderator(uuid) is
  E'Stop a user moderating your sessions (idempotent). Returns whether they were a moderator.\n'
  'Errors: LOGIN.\n'
  'Example: await supabase.rpc(''remove_moderator'', { p_user_id: userId })';
grant execute on function public.remove_moderator(uuid) to authenticated;

create function public.ban_user(
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
    raise exception 'No such user.' using errcode = 'P0002', hint = 'Check the user id.';
end
$$;
comment on function public.ban_user(uuid, uuid, text, integer) is
  E'Ban a user from a DJ''s channel (they leave its rooms and cannot join, chat, request or vote), or with '
  'p_timeout_seconds time them out (no chat, requests or votes until it expires, 1 s-14 days). DJ, their '
  'moderators or staff. Replaces an active ban/timeout of the same kind. Returns the ban.\n'
  'Errors: LOGIN; 42501 not allowed (or target is the DJ/a moderator); SELFX; P0002; 22023 bad duration.\n'
  'Example: await supabase.rpc(''ban_user'', { p_dj_id: djId, p_user_id: uid, p_reason: ''spam'', p_timeout_seconds: 600 })';
grant execute on function public.ban_user(uuid, uuid, text, integer) to authenticated;

create function public.unban_user(p_dj_id uuid, p_user_id uuid) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_count integer;
begin
  perform hidden.require_user();
  if not hidden.can_moderate_dj(p_dj_id) then
    raise exception 'Only the DJ and their moderators can lift bans here.' using errcode = '42501', hint = 'Ask the DJ.';
  end if;
  update public.dj_bans as b set revoked_at = now()
  where b.dj_id = p_dj_id and b.user_id = p_user_id and b.revoked_at is null
    and (b.expires_at is null or b.expires_at > now());
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
comment on function public.unban_user(uuid, uuid) is
  E'Lift a user''s active ban and timeout in a DJ''s channel. Returns how many were lifted (0: none active).\n'
  'Errors: LOGIN; 42501.\n'
  'Example: await supabase.rpc(''unban_user'', { p_dj_id: djId, p_user_id: uid })';
grant execute on function public.unban_user(uuid, uuid) to authenticated;

create function public.add_blocked_term(
  p_term text, p_action public.term_action default 'reject', p_dj_id uuid default null
) returns public.dj_blocked_terms
language plpgsql volatile
set search_path = ''
as $$
declare
  v_dj uuid := coalesce(p_dj_id, hidden.require_user());
  v_row public.dj_blocked_terms;
begin
  insert into public.dj_blocked_terms (dj_id, term, action) values (v_dj, lower(btrim(p_term)), p_action)
  on conflict (dj_id, term) do update set action = excluded.action
  returning * into v_row;
  return v_row;
exception
  when check_violation then
    raise exception 'A blocked term is 2 to 64 characters.' using errcode = '22023', hint = 'Use a shorter phrase.';
  when insufficient_privilege then
    raise exception 'Only the DJ and their moderators manage blocked terms.' using errcode = '42501', hint = 'Ask the DJ.';
end
$$;
comment on function public.add_blocked_term(text, public.term_action, uuid) is
  E'Block a word or phrase in a DJ''s chat (your own by default): reject messages containing it, or hold them '
  'for a moderator. Adding it again changes the action. Returns the term.\n'
  'Errors: LOGIN; 42501; 22023.\n'
  'Example: await supabase.rpc(''add_blocked_term'', { p_term: ''spoiler'', p_action: ''hold'' })';
grant execute on function public.add_blocked_term(text, public.term_action, uuid) to authenticated;

create function public.remove_blocked_term(p_term text, p_dj_id uuid default null) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_dj uuid := coalesce(p_dj_id, hidden.require_user());
begin
  delete from public.dj_blocked_terms as t where t.dj_id = v_dj and t.term = lower(btrim(p_term));
  return found;
end
$$;
comment on function public.remove_blocked_term(text, uuid) is
  E'Unblock a term (idempotent). Returns whether it was blocked.\n'
  'Errors: LOGIN.\n'
  'Example: await supabase.rpc(''remove_blocked_term'', { p_term: ''spoiler'' })';
grant execute on function public.remove_blocked_term(text, uuid) to authenticated;
