-- FUNCTION: push_text(public.notifications)
CREATE FUNCTION private.push_text(p_note public.notifications) RETURNS TABLE(title text, body text, collapse_key text, ttl_seconds integer, data jsonb)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  with actor as (select p.display_name from public.profiles as p where p.id = p_note.actor_id),
  session as (select s.title from public.dj_sessions as s where s.id = p_note.session_id)
  select x.title, left(x.body, 178), x.collapse_key, x.ttl,
    jsonb_build_object('notification_id', p_note.id, 'kind', p_note.kind, 'session_id', p_note.session_id)
  from (
    select
      case p_note.kind
        when 'dj_live' then coalesce((select a.display_name from actor as a), 'A DJ you follow') || ' is live'
        when 'request_playing' then 'Your request is playing'
        when 'mention' then coalesce((select a.display_name from actor as a), 'Someone') || ' mentioned you'
        when 'new_follower' then 'New follower'
        when 'tip_received' then 'You got a tip'
        else 'Your subscription needs attention'
      end as title,
      case p_note.kind
        when 'dj_live' then coalesce((select s.title from session as s), 'Tap to listen')
        when 'request_playing' then coalesce((
          select t.title || ' — ' || t.artist from public.tracks as t where t.id = (p_note.payload ->> 'track_id')::uuid
        ), 'Tap to listen')
        when 'mention' then coalesce(p_note.payload ->> 'excerpt', '')
        when 'new_follower' then coalesce((select a.display_name from actor as a), 'Someone') || ' followed you'
        when 'tip_received' then upper(p_note.payload ->> 'currency') || ' ' || (
          select round((p_note.payload ->> 'amount')::numeric / (10::numeric ^ d.n), d.n)::text
          from (select coalesce((
            select c.decimals::integer from public.tip_currencies as c where c.currency = p_note.payload ->> 'currency'
          ), 2) as n) as d
        ) || coalesce(': ' || (p_note.payload ->> 'message'), '')
        else 'Update your payment details to keep your benefits.'
      end as body,
      p_note.kind::text || ':' || coalesce(p_note.session_id::text, '') as collapse_key,  -- per kind and session
      case when p_note.kind in ('dj_live', 'mention') then 3600 when p_note.kind = 'request_playing' then 300 else 86400 end
        as ttl
  ) as x
$$;

-- COMMENT: FUNCTION push_text(p_note public.notifications)
COMMENT ON FUNCTION private.push_text(p_note public.notifications) IS 'Title, text, collapse key, time to live and app data of the push for a notification.';

-- ACL: FUNCTION push_text(p_note public.notifications)
REVOKE ALL ON FUNCTION private.push_text(p_note public.notifications) FROM PUBLIC;
