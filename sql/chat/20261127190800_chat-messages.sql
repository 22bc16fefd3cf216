/*
 * chat-messages: the chat inside a session.
 *
 * A message is written once, by its author, with a client-chosen id: a retry on a flaky
 * network is the same message, never a second one. Every rule is checked by the before-insert
 * trigger, so a direct insert obeys exactly what send_message obeys: signed-in full accounts
 * only (configurable), trimmed 1-500 characters, present in the room, not banned or timed out,
 * the room's chat modes (slow, followers-only with a minimum follow age, subscribers-only,
 * emote-only; the DJ's team is exempt), a per-user rate limit that holds under concurrency, the
 * DJ's blocked terms (reject, or hold for review), and replies within the same session.
 * @mentions are resolved to users who can see the room and have not blocked the author.
 *
 * Messages are soft-deleted (who, when, why), by their author or the room's moderators; held
 * messages are approved or deleted by moderators. What a reader sees is RLS: rooms they are in
 * or run, no deleted or held messages unless theirs or they moderate, nothing across a block.
 */

insert into private.settings (key, value, description) values
  ('chat_rate_capacity', '5', 'Chat burst: messages a user may send at once before the rate applies.'),
  ('chat_rate_per_second', '0.5', 'Chat sustained rate per user (messages per second).'),
  ('max_mentions', '10', 'Mentions resolved (and notified) per message.');

create type public.message_status as enum ('visible', 'held', 'deleted');
comment on type public.message_status is 'visible; held for a moderator (blocked term); deleted (soft).';

create table public.chat_messages (
  id uuid primary key,
  session_id uuid not null references public.dj_sessions (id) on delete cascade,
  author_id uuid references public.profiles (id) on delete set null,
  body text not null check (char_length(body) between 1 and 500),
  reply_to_id uuid references public.chat_messages (id) on delete set null,
  mentions uuid[] not null default '{}',
  status public.message_status not null default 'visible',
  created_at timestamptz not null default now(),
  deleted_at timestamptz,
  deleted_by uuid references public.profiles (id) on delete set null,
  delete_reason text check (char_length(delete_reason) <= 500),
  held_term text
);
comment on table public.chat_messages is 'Chat messages of a session; soft-deleted, never edited.';
comment on column public.chat_messages.id is 'Chosen by the client (uuid v4) so that retries are idempotent.';
comment on column public.chat_messages.session_id is 'The session.';
comment on column public.chat_messages.author_id is 'The author (NULL once their account is deleted: "deleted user").';
comment on column public.chat_messages.body is 'Text, trimmed, 1-500 characters.';
comment on column public.chat_messages.reply_to_id is 'The message this replies to (same session).';
comment on column public.chat_messages.mentions is 'Users @mentioned and notified.';
comment on column public.chat_messages.status is 'visible, held (for review) or deleted.';
comment on column public.chat_messages.created_at is 'Server time of sending.';
comment on column public.chat_messages.deleted_at is 'When it was deleted.';
comment on column public.chat_messages.deleted_by is 'Who deleted it (the author or a moderator).';
comment on column public.chat_messages.delete_reason is 'Why (moderators).';
comment on column public.chat_messages.held_term is 'The blocked term that held it (moderators see it).';
create index chat_messages_history_idx on public.chat_messages (session_id, created_at desc, id desc);
create index chat_messages_author_idx on public.chat_messages (author_id, session_id);
create index chat_messages_reply_to_idx on public.chat_messages (reply_to_id) where reply_to_id is not null;
create index chat_messages_deleted_by_idx on public.chat_messages (deleted_by) where deleted_by is not null;
alter table public.chat_messages enable row level security;

alter table public.notifications add constraint notifications_message_id_fkey
  foreign key (message_id) references public.chat_messages (id) on delete cascade;
create index notifications_message_idx on public.notifications (message_id) where message_id is not null;

-- helpers --------------------------------------------------------------------------------------

create function hidden.my_moderated_room_ids() returns setof uuid
language sql stable security definer
set search_path = ''
as $$
  select s.id from public.dj_sessions as s
  where s.dj_id = auth.uid()
    or s.dj_id in (select d.dj_id from public.dj_moderators as d where d.user_id = auth.uid())
  union
  select m.session_id from public.session_members as m
  where m.user_id = auth.uid() and m.role = 'cohost' and m.left_at is null
$$;
comment on function hidden.my_moderated_room_ids() is 'Sessions the caller may moderate (DJ, the DJ''s moderator, present co-host).';
grant execute on function hidden.my_moderated_room_ids() to authenticated, service_role;

create function private.is_emote_only(p_body text) returns boolean
language sql immutable
set search_path = ''
as $$
  -- :emote_codes: and emoji (pictographs, symbols, flags, keycaps like 1️⃣, joiners, variation selectors).
  select p_body ~ ('^(\s|:[A-Za-z0-9_]{2,32}:|[0-9#*]\uFE0F?\u20E3|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF'
    || '\u2190-\u21FF\u2300-\u23FF\u25A0-\u25FF\u2900-\u297F\u3030\u303D\u3297\u3299\u00A9\u00AE'
    || '\u203C\u2049\u2122\u2139\u200D\uFE0F\u20E3\U000E0020-\U000E007F])+$')
$$;
comment on function private.is_emote_only(text) is 'Whether a message is only :emote: codes, emoji and spaces.';

create function private.blocked_term_hit(p_dj_id uuid, p_body text)
returns table (term text, action public.term_action)
language sql stable
set search_path = ''
as $$
  -- Whole words or phrases, case-insensitive: the term must not touch other letters or digits.
  select t.term, t.action from public.dj_blocked_terms as t
  where t.dj_id = p_dj_id
    and lower(p_body) ~ ('(^|[^[:alnum:]_])' || regexp_replace(t.term, '([^[:alnum:][:space:]_])', '\\\1', 'g')
      || '($|[^[:alnum:]_])')
  order by t.action = 'reject' desc, t.term
  limit 1
$$;
comment on function private.blocked_term_hit(uuid, text) is 'The first of the DJ''s blocked terms a message contains (rejecting ones first).';

create function private.resolve_mentions(p_body text, p_author_id uuid, p_session public.dj_sessions)
returns uuid[]
language sql stable
set search_path = ''
as $$
  select coalesce(array_agg(p.id order by p.handle), '{}')
  from (
    select distinct lower(m[1]) as handle from regexp_matches(p_body, '@([A-Za-z0-9_]{3,30})', 'g') as m
    limit (hidden.setting('max_mentions'))::integer
  ) as h
  join public.profiles as p on p.handle = h.handle
  where p.id <> p_author_id
    and not hidden.blocked_between(p.id, p_author_id)
    and (
      p_session.visibility = 'public' or p.id = p_session.dj_id
      or exists (select 1 from public.session_members as m where m.session_id = p_session.id and m.user_id = p.id)
    )
$$;
comment on function private.resolve_mentions(text, uuid, public.dj_sessions) is
  '@handles in a message that name users who can see the room and have not blocked (or been blocked by) the author.';

-- triggers -------------------------------------------------------------------------------------

create function private.tg_chat_messages__check() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_full_account('chat');
  v_session public.dj_sessions;
  v_member public.session_members;
  v_authority public.member_role;
  v_existing public.chat_messages;
  v_until timestamptz;
  v_wait double precision;
  v_hit record;
begin
  NEW.author_id := v_uid;  -- whatever the client sent; also for a retry, which RLS checks too
  NEW.body := regexp_replace(coalesce(NEW.body, ''), '^\s+|\s+$', '', 'g');
  if char_length(NEW.body) not between 1 and 500 then
    raise exception 'A message is 1 to 500 characters.' using errcode = 'MSGLN', hint = 'Shorten it (or write something).';
  end if;
  select * into v_session from public.dj_sessions as s where s.id = NEW.session_id;
  if v_session is null then
    raise exception 'No such session.' using errcode = 'P0002', hint = 'Check the session id.';
  elsif v_session.status = 'ended' then
    raise exception 'This session has ended.' using errcode = 'ENDED', hint = 'Chat is closed.';
  end if;
  if hidden.is_banned(v_session.dj_id, v_uid) then
    raise exception 'You are banned from this DJ''s sessions.' using errcode = 'BANND', hint = 'Contact the DJ to appeal.';
  end if;
  v_until := hidden.timeout_until(v_session.dj_id, v_uid);
  if v_until is not null then
    raise exception 'You are timed out.' using errcode = 'TMOUT',
      detail = json_build_object('until', v_until)::text, hint = 'You can chat again after details.until.';
  end if;
  -- Serialise this user's sends in this room (slow mode, duplicates) on their membership row.
  select * into v_member from public.session_members as m
  where m.session_id = NEW.session_id and m.user_id = v_uid and m.left_at is null
  for update;
  v_authority := hidden.session_authority(NEW.session_id, v_uid);
  if v_member is null and v_authority is distinct from 'dj' and v_authority is distinct from 'moderator' then
    raise exception 'Join the session to chat.' using errcode = 'NOTIN', hint = 'Call join_session first.';
  end if;
  select * into v_existing from public.chat_messages as c where c.id = NEW.id;
  if v_existing.id is not null then
    if v_existing.author_id is distinct from v_uid or v_existing.session_id <> NEW.session_id then
      raise exception 'That message id is already used.' using errcode = 'IDCLS', hint = 'Generate a new uuid per message.';
    end if;
    return NEW;  -- a retry: the primary key turns it into a no-op
  end if;
  if v_authority not in ('dj', 'cohost', 'moderator') then
    if v_session.followers_only_minutes is not null and not exists (
      select 1 from public.follows as f
      where f.follower_id = v_uid and f.followee_id = v_session.dj_id
        and f.created_at <= now() - make_interval(mins => v_session.followers_only_minutes)
    ) then
      raise exception 'Chat is for followers (of at least % minutes).', v_session.followers_only_minutes
        using errcode = 'NOFLW', hint = 'Follow the DJ; you can chat once the minimum follow age has passed.';
    end if;
    if v_session.subscribers_only
      and not hidden.has_entitlement(v_uid, hidden.setting('subscriber_entitlement') #>> '{}') then
      raise exception 'Chat is for subscribers right now.' using errcode = 'SUBSC', hint = 'Subscribe to chat in this mode.';
    end if;
    if v_session.emote_only and not private.is_emote_only(NEW.body) then
      raise exception 'Chat is emote-only right now.' using errcode = 'EMOTE', hint = 'Send only emotes or emoji.';
    end if;
    if v_session.slow_mode_seconds > 0
      and v_member.last_message_at > now() - make_interval(secs => v_session.slow_mode_seconds) then
      raise exception 'Slow mode is on.' using errcode = 'SLOWM',
        detail = json_build_object('retry_after_seconds', ceil(extract(epoch from
          v_member.last_message_at + make_interval(secs => v_session.slow_mode_seconds) - now())))::text,
        hint = 'Wait details.retry_after_seconds before sending again.';
    end if;
    v_wait := hidden.take_token(v_uid, 'chat', (hidden.setting('chat_rate_capacity'))::integer,
      (hidden.setting('chat_rate_per_second'))::double precision);
    if v_wait > 0 then
      raise exception 'You are sending messages too fast.' using errcode = 'RATEL',
        detail = json_build_object('retry_after_seconds', v_wait)::text, hint = 'Slow down a little.';
    end if;
  end if;
  if NEW.reply_to_id is not null and not exists (
    select 1 from public.chat_messages as r where r.id = NEW.reply_to_id and r.session_id = NEW.session_id
  ) then
    raise exception 'You can only reply to a message in this session.' using errcode = '22023', hint = 'Check reply_to_id.';
  end if;
  NEW.status := 'visible';
  NEW.held_term := null;
  if v_authority is distinct from 'dj' then
    select * into v_hit from private.blocked_term_hit(v_session.dj_id, NEW.body);
    if v_hit.action = 'reject' then
      raise exception 'Your message contains a term this DJ does not allow.' using errcode = 'TERMS',
        hint = 'Rephrase it.';
    elsif v_hit.action = 'hold' then
      NEW.status := 'held';
      NEW.held_term := v_hit.term;
    end if;
  end if;
  NEW.created_at := now();
  NEW.deleted_at := null;
  NEW.deleted_by := null;
  NEW.delete_reason := null;
  NEW.mentions := case when NEW.status = 'visible' then private.resolve_mentions(NEW.body, v_uid, v_session) else '{}' end;
  return NEW;
end
$$;
comment on function private.tg_chat_messages__check() is
  'Before a chat message is stored: every rule of the room (see the migration''s header), or a coded error.';
create trigger _200_check before insert on public.chat_messages
  for each row execute function private.tg_chat_messages__check();

create function private.tg_chat_messages__after_insert() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_mentioned uuid;
begin
  update public.session_members as m set last_message_at = NEW.created_at, last_seen_at = NEW.created_at
  where m.session_id = NEW.session_id and m.user_id = NEW.author_id;
  foreach v_mentioned in array NEW.mentions loop
    perform private.notify(v_mentioned, 'mention', 'mention:' || NEW.id, NEW.author_id, NEW.session_id, NEW.id,
      jsonb_build_object('excerpt', left(NEW.body, 140)));
  end loop;
  return null;
end
$$;
comment on function private.tg_chat_messages__after_insert() is
  'After a message is stored: it counts as a heartbeat and as the slow-mode clock; mentioned users are notified.';
create trigger _500_after_insert after insert on public.chat_messages
  for each row execute function private.tg_chat_messages__after_insert();

create function private.tg_chat_messages__moderate() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_moderator boolean := v_uid is null or NEW.session_id in (select hidden.my_moderated_room_ids()) or hidden.is_staff();
  v_dj uuid;
begin
  if NEW.status = OLD.status then
    NEW.delete_reason := OLD.delete_reason;
    return NEW;  -- nothing to do (e.g. deleting twice)
  end if;
  if OLD.status = 'deleted' then
    raise exception 'This message was deleted.' using errcode = 'STATE', hint = 'Deleted messages stay deleted.';
  end if;
  if NEW.status = 'visible' and not v_moderator then
    raise exception 'Only moderators approve held messages.' using errcode = '42501', hint = 'Ask a moderator.';
  end if;
  if NEW.status = 'deleted' then
    NEW.deleted_at := now();
    NEW.deleted_by := v_uid;
    NEW.delete_reason := case when v_uid is distinct from OLD.author_id then NEW.delete_reason end;
  end if;
  if v_uid is distinct from OLD.author_id then
    select s.dj_id into v_dj from public.dj_sessions as s where s.id = NEW.session_id;
    perform private.log_moderation(v_dj, NEW.session_id,
      case when NEW.status = 'deleted' then 'delete_message' else 'approve_message' end::public.moderation_action,
      OLD.author_id, OLD.id, coalesce(NEW.delete_reason, ''),
      jsonb_build_object('status', OLD.status, 'body', OLD.body), jsonb_build_object('status', NEW.status));
  end if;
  return NEW;
end
$$;
comment on function private.tg_chat_messages__moderate() is
  'Before a message''s status changes: authors delete their own, moderators delete or approve; recorded and logged.';
create trigger _200_moderate before update on public.chat_messages
  for each row execute function private.tg_chat_messages__moderate();

-- policies and grants --------------------------------------------------------------------------

create policy "The room reads its chat, minus what the reader must not see" on public.chat_messages
  for select to authenticated using (
    (
      session_id = any(array(select hidden.my_room_ids()))
      and (
        status = 'visible' or author_id = (select auth.uid())
        or session_id = any(array(select hidden.my_moderated_room_ids()))
      )
      and coalesce(author_id <> all(array(select hidden.my_block_peers())), true)
    )
    or (select hidden.is_staff())
  );
create policy "Users send as themselves" on public.chat_messages
  for insert to authenticated with check (author_id = (select auth.uid()));
create policy "Authors and moderators delete or approve" on public.chat_messages
  for update to authenticated
  using (author_id = (select auth.uid()) or session_id = any(array(select hidden.my_moderated_room_ids())))
  with check (author_id = (select auth.uid()) or session_id = any(array(select hidden.my_moderated_room_ids())));
grant select on public.chat_messages to authenticated;
grant insert (id, session_id, body, reply_to_id) on public.chat_messages to authenticated;
grant update (status, delete_reason) on public.chat_messages to authenticated;
-- NOTE: no delete grant: messages are soft-deleted (status), never removed by clients.
