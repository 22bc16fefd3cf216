-- FUNCTION: realtime_can_read(text)
CREATE FUNCTION hidden.realtime_can_read(p_topic text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
declare
  v_uid uuid := auth.uid();
  v_session public.dj_sessions;
  v_team boolean;
begin
  if v_uid is null or p_topic is null then
    return false;
  elsif p_topic like 'user:%' then
    return p_topic = 'user:' || v_uid;
  end if;
  select * into v_session from public.dj_sessions as s where s.id = private.rt_topic_session(p_topic);
  if v_session.id is null then
    return false;
  end if;
  v_team := v_session.dj_id = v_uid
    or exists (select 1 from public.dj_moderators as d where d.dj_id = v_session.dj_id and d.user_id = v_uid)
    or hidden.is_staff();
  if p_topic like 'staff:%' then
    return v_team or exists (
      select 1 from public.session_members as m
      where m.session_id = v_session.id and m.user_id = v_uid and m.role = 'cohost' and m.left_at is null
    );
  elsif v_team then
    return true;
  elsif hidden.is_banned(v_session.dj_id, v_uid)
    or exists (select 1 from public.blocks as k where k.blocker_id = v_session.dj_id and k.blocked_id = v_uid) then
    return false;
  end if;
  return case v_session.visibility
    when 'public' then true
    when 'followers' then exists (
      select 1 from public.follows as f where f.follower_id = v_uid and f.followee_id = v_session.dj_id
    ) or exists (select 1 from public.session_members as m where m.session_id = v_session.id and m.user_id = v_uid)
    else exists (select 1 from public.session_members as m where m.session_id = v_session.id and m.user_id = v_uid)
  end;
end
$$;

-- COMMENT: FUNCTION realtime_can_read(p_topic text)
COMMENT ON FUNCTION hidden.realtime_can_read(p_topic text) IS 'Whether the caller may join a realtime topic: their own user:<id>; a session they may view and are not banned from or blocked by its DJ (public: any signed-in user; followers: followers and members; private: members); a session''s staff:<id> lane if they are its DJ, the DJ''s moderator, a present co-host or staff.';

-- ACL: FUNCTION realtime_can_read(p_topic text)
REVOKE ALL ON FUNCTION hidden.realtime_can_read(p_topic text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.realtime_can_read(p_topic text) TO authenticated;
