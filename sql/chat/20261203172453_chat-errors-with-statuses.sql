/*
 * chat-errors-with-statuses: this domain's errors reach the app with the HTTP status they mean
 * (issue 19 §1).
 *
 * Every raise of a code whose status is not 400 (docs/error-codes.md, HTTP column) becomes a
 * PGRST raise built by hidden.api_error / hidden.api_response
 * (20261203172346_foundation-api-statuses.sql says why: PostgREST answers P0002 with 500 and
 * our own codes with 400). Nothing else changes: each function is restated from its newest
 * definition (named above it), with the same code, message, hint and details.
 * Restated: hidden.require_message_change, private.tg_chat_messages__check,
 * private.tg_chat_messages__moderate.
 */

-- From 20261203133251_chat-message-id-required.sql.
create or replace function private.tg_chat_messages__check() returns trigger
language plpgsql security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := auth.uid();
  v_ctx record;
  v_team boolean;
  v_wait numeric;  -- seconds until the sender may send again (SLOWM, RATEL)
begin
  NEW.author_id := v_uid;  -- whatever the client sent; also for a retry, which RLS checks too
  if v_uid is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'LOGIN',
        'You need to be signed in to do that.',
        'Sign in (an anonymous sign-in is enough to listen).'
      ),
      detail = hidden.api_response('LOGIN');
  end if;
  if NEW.id is null then
    raise exception 'id is required.' using errcode = '22023', hint = 'Send a new uuid per message as id (reuse it only to retry).';
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  elsif v_ctx.is_anonymous and not v_ctx.anonymous_may_chat then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        'Guests cannot chat here.',
        'Sign in with a phone number, Apple or Google first.'
      ),
      detail = hidden.api_response('ANONY');
  elsif (v_ctx.session).status = 'ended' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('ENDED', 'This session has ended.', 'Chat is closed.'),
      detail = hidden.api_response('ENDED');
  elsif v_ctx.banned then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('BANND', 'You are banned from this DJ''s sessions.', 'Contact the DJ to appeal.'),
      detail = hidden.api_response('BANND');
  elsif v_ctx.timeout_until is not null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'TMOUT',
        'You are timed out.',
        'You can chat again after details.until.',
        json_build_object('until', v_ctx.timeout_until)::text
      ),
      detail = hidden.api_response('TMOUT');
  end if;
  v_team := v_uid = (v_ctx.session).dj_id or v_ctx.dj_moderator or v_ctx.role = 'cohost';
  if v_ctx.role is null and not (v_uid = (v_ctx.session).dj_id or v_ctx.dj_moderator) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('NOTIN', 'Join the session to chat.', 'Call join_session first.'),
      detail = hidden.api_response('NOTIN');
  end if;
  if v_ctx.retry is not null then
    if not v_ctx.retry then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('IDCLS', 'That message id is already used.', 'Generate a new uuid per message.'),
        detail = hidden.api_response('IDCLS');
    end if;
    return NEW;  -- a retry: the primary key turns it into a no-op
  end if;
  if not v_team then
    if (v_ctx.session).followers_only_minutes is not null and (
      v_ctx.followed_at is null
      or v_ctx.followed_at > now() - make_interval(mins => (v_ctx.session).followers_only_minutes)
    ) then
      raise sqlstate 'PGRST' using
        message = hidden.api_error(
          'NOFLW',
          format('Chat is for followers (of at least %s minutes).', (v_ctx.session).followers_only_minutes),
          'Follow the DJ; you can chat once the minimum follow age has passed.'
        ),
        detail = hidden.api_response('NOFLW');
    end if;
    if (v_ctx.session).subscribers_only and not hidden.has_entitlement(v_uid, v_ctx.subscriber_entitlement) then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('SUBSC', 'Chat is for subscribers right now.', 'Subscribe to chat in this mode.'),
        detail = hidden.api_response('SUBSC');
    end if;
    if (v_ctx.session).emote_only and not private.is_emote_only(NEW.body) then
      raise exception 'Chat is emote-only right now.' using errcode = 'EMOTE', hint = 'Send only emotes or emoji.';
    end if;
    if v_ctx.last_here is not null then
      v_wait := ceil(extract(epoch from
        v_ctx.last_here + make_interval(secs => (v_ctx.session).slow_mode_seconds) - now()));
      raise sqlstate 'PGRST' using
        message = hidden.api_error('SLOWM', 'Slow mode is on.', 'Wait details.retry_after_seconds before sending again.',
          json_build_object('retry_after_seconds', v_wait)::text),
        detail = hidden.api_response('SLOWM', v_wait);
    end if;
    if cardinality(v_ctx.recent) >= v_ctx.rate_messages then
      v_wait := greatest(1, ceil(extract(epoch from v_ctx.recent[v_ctx.rate_messages] + v_ctx.rate_window - now())));
      raise sqlstate 'PGRST' using
        message = hidden.api_error('RATEL', 'You are sending messages too fast.', 'Slow down a little.',
          json_build_object('retry_after_seconds', v_wait)::text),
        detail = hidden.api_response('RATEL', v_wait);
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

-- From 20261127190800_chat-messages.sql.
create or replace function private.tg_chat_messages__moderate() returns trigger
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error('STATE', 'This message was deleted.', 'Deleted messages stay deleted.'),
      detail = hidden.api_response('STATE');
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

-- From 20261127190900_chat-rpcs.sql.
create or replace function hidden.require_message_change(p_found boolean, p_message_id uuid) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if not p_found then
    if exists (select 1 from public.chat_messages as c where c.id = p_message_id) then
      raise exception 'Only the author or a moderator can do that.' using errcode = '42501', hint = 'Report it instead.';
    end if;
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such message.', 'Check the message id.'),
      detail = hidden.api_response('P0002');
  end if;
end
$$;
