/*
 * chat-messages: the chat inside a session.
 *
 * A message is written once, by its author, with a client-chosen id: a retry on a flaky
 * network is the same message, never a second one. Every rule is checked by the before-insert
 * trigger, so a direct insert obeys exactly what send_message obeys: signed-in full accounts
 * only (configurable), trimmed 1-500 characters, present in the room, not banned or timed out,
 * the room's chat modes (slow, followers-only with a minimum follow age, subscribers-only,
 * emote-only; the DJ's team is exempt), a per-user rate limit that holds under concurrency (both
 * slow mode and the limit count the user's own recent messages, one send per user at a time), the
 * DJ's blocked terms (reject, or hold for review), and replies within the same session.
 * @mentions are resolved to users who can see the room and have not blocked the author.
 *
 * Messages are soft-deleted (who, when, why), by their author or the room's moderators; held
 * messages are approved or deleted by moderators. What a reader sees is RLS: rooms they are in
 * or run, no deleted or held messages unless theirs or they moderate, nothing across a block.
 */

insert into private.settings (key, value, description) values
  ('chat_rate_messages', '5', 'Chat rate limit: at most this many messages per user...'),
  ('chat_rate_window_seconds', '10', '...in any window of this many seconds (across all rooms).'),
  ('max_mentions', '10', 'Mentions resolved (and notified) per message.');

create type public.message_status as enum ('visible', 'held', 'deleted');
comment on type public.message_status is 'visible; held for a moderator (blocked term); deleted (soft).';

create table public.chat_messages (
  id uuid primary key,
  -- NOTE: no foreign key: every message would KEY SHARE-lock the same session row, and a
  -- packed room's concurrent sends then contend on it (MultiXacts; p99 59 ms -> 12 ms without).
  -- The check trigger verifies the session; _500_delete_chat below cascades deletions.
  session_id uuid not null,
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
comment on column public.chat_messages.session_id is 'The session (checked by the trigger, not a foreign key: see above).';
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
create index chat_messages_author_recent_idx on public.chat_messages (author_id, created_at desc);
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
  select s.id from public.dj_sessions as s where s.dj_id = auth.uid()
  union
  select s.id from public.dj_moderators as d
  join public.dj_sessions as s on s.dj_id = d.dj_id
  where d.user_id = auth.uid()
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
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := auth.uid();
  v_ctx record;
  v_team boolean;
begin
  NEW.author_id := v_uid;  -- whatever the client sent; also for a retry, which RLS checks too
  if v_uid is null then
    raise exception 'You need to be signed in to do that.'
      using errcode = 'LOGIN', hint = 'Sign in (an anonymous sign-in is enough to listen).';
  end if;
  NEW.body := regexp_replace(coalesce(NEW.body, ''), '^\s+|\s+$', '', 'g');
  if char_length(NEW.body) not between 1 and 500 then
    raise exception 'A message is 1 to 500 characters.' using errcode = 'MSGLN', hint = 'Shorten it (or write something).';
  end if;
  -- One send per user at a time: slow mode and the rate limit count this user's own messages, so
  -- concurrent sends must not both pass. An advisory lock writes nothing (a row lock would).
  perform pg_advisory_xact_lock(hashtextextended('chat:' || v_uid, 0));
  -- Everything the rules need in one round trip: this runs for every message of a packed room.
  select s as session, u.is_anonymous, cfg.*,
    exists (
      select 1 from public.dj_bans as b
      where b.dj_id = s.dj_id and b.user_id = v_uid and b.kind = 'ban' and b.revoked_at is null
    ) as banned,
    (
      select max(b.expires_at) from public.dj_bans as b
      where b.dj_id = s.dj_id and b.user_id = v_uid and b.kind = 'timeout' and b.revoked_at is null
        and b.expires_at > now()
    ) as timeout_until,
    exists (select 1 from public.dj_moderators as d where d.dj_id = s.dj_id and d.user_id = v_uid) as dj_moderator,
    (select f.created_at from public.follows as f where f.follower_id = v_uid and f.followee_id = s.dj_id) as followed_at,
    (
      select m.role from public.session_members as m
      where m.session_id = s.id and m.user_id = v_uid and m.left_at is null
    ) as role,
    (select c.author_id is not distinct from v_uid and c.session_id = s.id from public.chat_messages as c where c.id = NEW.id)
      as retry,
    (
      select max(c.created_at) from public.chat_messages as c
      where s.slow_mode_seconds > 0 and c.author_id = v_uid and c.session_id = s.id
        and c.created_at > now() - make_interval(secs => s.slow_mode_seconds)
    ) as last_here,
    (
      select array_agg(r.created_at) from (
        select c.created_at from public.chat_messages as c
        where c.author_id = v_uid and c.created_at > now() - cfg.rate_window
        order by c.created_at desc limit cfg.rate_messages
      ) as r
    ) as recent,
    (
      -- The DJ's blocked terms, as whole words or phrases, case-insensitive; rejecting ones first.
      select t from public.dj_blocked_terms as t
      where t.dj_id = s.dj_id and s.dj_id <> v_uid
        and lower(NEW.body) ~ ('(^|[^[:alnum:]_])' || regexp_replace(t.term, '([^[:alnum:][:space:]_])', '\\\1', 'g')
          || '($|[^[:alnum:]_])')
      order by t.action = 'reject' desc, t.term
      limit 1
    ) as hit
  into v_ctx
  from public.dj_sessions as s
  cross join auth.users as u
  cross join (
    select coalesce((max(c.value::text) filter (where c.key = 'anonymous_may_chat'))::boolean, false) as anonymous_may_chat,
      (max(c.value::text) filter (where c.key = 'chat_rate_messages'))::integer as rate_messages,
      make_interval(secs => (max(c.value::text) filter (where c.key = 'chat_rate_window_seconds'))::integer) as rate_window,
      max(c.value ->> 0) filter (where c.key = 'subscriber_entitlement') as subscriber_entitlement
    from private.settings as c
    where c.key in ('anonymous_may_chat', 'chat_rate_messages', 'chat_rate_window_seconds', 'subscriber_entitlement')
  ) as cfg
  where s.id = NEW.session_id and u.id = v_uid;
  if v_ctx is null then
    raise exception 'No such session.' using errcode = 'P0002', hint = 'Check the session id.';
  elsif v_ctx.is_anonymous and not v_ctx.anonymous_may_chat then
    raise exception 'Guests cannot chat here.'
      using errcode = 'ANONY', hint = 'Sign in with a phone number, Apple or Google first.';
  elsif (v_ctx.session).status = 'ended' then
    raise exception 'This session has ended.' using errcode = 'ENDED', hint = 'Chat is closed.';
  elsif v_ctx.banned then
    raise exception 'You are banned from this DJ''s sessions.' using errcode = 'BANND', hint = 'Contact the DJ to appeal.';
  elsif v_ctx.timeout_until is not null then
    raise exception 'You are timed out.' using errcode = 'TMOUT',
      detail = json_build_object('until', v_ctx.timeout_until)::text, hint = 'You can chat again after details.until.';
  end if;
  v_team := v_uid = (v_ctx.session).dj_id or v_ctx.dj_moderator or v_ctx.role = 'cohost';
  if v_ctx.role is null and not (v_uid = (v_ctx.session).dj_id or v_ctx.dj_moderator) then
    raise exception 'Join the session to chat.' using errcode = 'NOTIN', hint = 'Call join_session first.';
  end if;
  if v_ctx.retry is not null then
    if not v_ctx.retry then
      raise exception 'That message id is already used.' using errcode = 'IDCLS', hint = 'Generate a new uuid per message.';
    end if;
    return NEW;  -- a retry: the primary key turns it into a no-op
  end if;
  if not v_team then
    if (v_ctx.session).followers_only_minutes is not null and (
      v_ctx.followed_at is null
      or v_ctx.followed_at > now() - make_interval(mins => (v_ctx.session).followers_only_minutes)
    ) then
      raise exception 'Chat is for followers (of at least % minutes).', (v_ctx.session).followers_only_minutes
        using errcode = 'NOFLW', hint = 'Follow the DJ; you can chat once the minimum follow age has passed.';
    end if;
    if (v_ctx.session).subscribers_only and not hidden.has_entitlement(v_uid, v_ctx.subscriber_entitlement) then
      raise exception 'Chat is for subscribers right now.' using errcode = 'SUBSC', hint = 'Subscribe to chat in this mode.';
    end if;
    if (v_ctx.session).emote_only and not private.is_emote_only(NEW.body) then
      raise exception 'Chat is emote-only right now.' using errcode = 'EMOTE', hint = 'Send only emotes or emoji.';
    end if;
    if v_ctx.last_here is not null then
      raise exception 'Slow mode is on.' using errcode = 'SLOWM',
        detail = json_build_object('retry_after_seconds', ceil(extract(epoch from
          v_ctx.last_here + make_interval(secs => (v_ctx.session).slow_mode_seconds) - now())))::text,
        hint = 'Wait details.retry_after_seconds before sending again.';
    end if;
    if cardinality(v_ctx.recent) >= v_ctx.rate_messages then
      raise exception 'You are sending messages too fast.' using errcode = 'RATEL',
        detail = json_build_object('retry_after_seconds',
          greatest(1, ceil(extract(epoch from v_ctx.recent[v_ctx.rate_messages] + v_ctx.rate_window - now()))))::text,
        hint = 'Slow down a little.';
    end if;
  end if;
  if NEW.reply_to_id is not null and not exists (
    select 1 from public.chat_messages as r where r.id = NEW.reply_to_id and r.session_id = NEW.session_id
  ) then
    raise exception 'You can only reply to a message in this session.' using errcode = '22023', hint = 'Check reply_to_id.';
  end if;
  NEW.status := 'visible';
  NEW.held_term := null;
  if (v_ctx.hit).action = 'reject' then
    raise exception 'Your message contains a term this DJ does not allow.' using errcode = 'TERMS', hint = 'Rephrase it.';
  elsif (v_ctx.hit).action = 'hold' then
    NEW.status := 'held';
    NEW.held_term := (v_ctx.hit).term;
  end if;
  NEW.created_at := now();
  NEW.deleted_at := null;
  NEW.deleted_by := null;
  NEW.delete_reason := null;
  NEW.mentions := case
    when NEW.status = 'visible' and strpos(NEW.body, '@') > 0
      then private.resolve_mentions(NEW.body, v_uid, v_ctx.session)
    else '{}'
  end;
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
  foreach v_mentioned in array NEW.mentions loop
    perform private.notify(v_mentioned, 'mention', 'mention:' || NEW.id, NEW.author_id, NEW.session_id, NEW.id,
      jsonb_build_object('excerpt', left(NEW.body, 140)));
  end loop;
  return null;
end
$$;
comment on function private.tg_chat_messages__after_insert() is 'After a message is stored: notify the users it mentions.';
create trigger _500_after_insert after insert on public.chat_messages
  for each row when (cardinality(new.mentions) > 0) execute function private.tg_chat_messages__after_insert();

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
    author_id = (select auth.uid())  -- first: an author's own read (e.g. RETURNING) skips the rest
    or (
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

create function private.tg_dj_sessions__delete_chat() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  delete from public.chat_messages as c where c.session_id = OLD.id;
  return null;
end
$$;
comment on function private.tg_dj_sessions__delete_chat() is
  'When a session is deleted (its DJ''s account is): delete its chat, as a cascading foreign key would.';
create trigger _500_delete_chat after delete on public.dj_sessions
  for each row execute function private.tg_dj_sessions__delete_chat();
