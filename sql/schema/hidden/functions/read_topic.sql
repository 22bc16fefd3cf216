-- FUNCTION: read_topic(text, bigint, integer, uuid, integer)
CREATE FUNCTION hidden.read_topic(p_topic text, p_after_seq bigint, p_limit integer, p_member_of uuid, p_catchup_max integer) RETURNS json
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
declare
  v_uid uuid := auth.uid();
  v_after bigint := coalesce(p_after_seq, 0);
  r record;
begin
  -- One query: who is asking, may they (a member of p_member_of reads at once; anyone else is
  -- checked in full), the topic, their own topic, and the entries after p_after_seq.
  -- Suspended as hidden.require_user says: Supabase Auth's banned_until is in the future.
  select coalesce((select u.banned_until > now() from auth.users as u where u.id = v_uid), false) as suspended,
    exists (
      select 1 from public.session_members as m
      where m.session_id = p_member_of and m.user_id = v_uid and m.left_at is null
    ) as member,
    t.last_seq, t.delivery, t.poll_ms,
    (select me.last_seq from private.realtime_topics as me where me.topic = 'user:' || v_uid) as me,
    e.events, e.n, e.first_seq, e.last_seq as last_entry
  into r
  from (select p_topic as topic) as want
  left join private.realtime_topics as t on t.topic = want.topic
  cross join lateral (
    select json_agg(l.payload order by l.seq) as events, count(*) as n, min(l.seq) as first_seq,
      max(l.seq) as last_seq
    from (
      select l.seq, l.payload from private.realtime_log as l
      where l.topic = want.topic and l.seq > v_after and t.last_seq > v_after
      order by l.seq limit least(greatest(coalesce(p_limit, 100), 1), 500)
    ) as l
  ) as e;
  if v_uid is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'LOGIN',
        'You need to be signed in to do that.',
        'Sign in (an anonymous sign-in is enough to listen).'
      ),
      detail = hidden.api_response('LOGIN');
  elsif r.suspended then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('SUSPD', 'This account is suspended.', 'Contact support.'),
      detail = hidden.api_response('SUSPD');
  elsif not r.member and not hidden.realtime_can_read(p_topic) then
    raise exception 'You cannot read this topic.' using errcode = '42501', hint = 'Join the session first.';
  elsif r.last_seq is null and p_member_of is not null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  end if;
  -- Built with json_build_object over the stored json: nothing is parsed again on the way out.
  return json_build_object(
    'events', case
      when r.n > 0 and r.first_seq = v_after + 1 and coalesce(r.last_seq - v_after <= p_catchup_max, true) then r.events
      else '[]'::json end,
    'last_seq', greatest(coalesce(r.last_seq, 0), coalesce(r.last_entry, 0)),
    'has_more', (r.n > 0 and r.first_seq = v_after + 1 and r.last_entry < r.last_seq
      and coalesce(r.last_seq - v_after <= p_catchup_max, true)),
    'resync_needed', (
      v_after > coalesce(r.last_seq, 0)  -- ahead of the log
      or (coalesce(r.last_seq, 0) > v_after and (r.n = 0 or r.first_seq <> v_after + 1))  -- the gap was pruned
      or coalesce(r.last_seq - v_after > p_catchup_max, false)  -- a poller far behind: a snapshot is cheaper
    ),
    'mode', coalesce(r.delivery, 'push'),
    'poll_ms', coalesce(r.poll_ms, 0),
    'me', coalesce(r.me, 0));
end
$$;

-- COMMENT: FUNCTION read_topic(p_topic text, p_after_seq bigint, p_limit integer, p_member_of uuid, p_catchup_max integer)
COMMENT ON FUNCTION hidden.read_topic(p_topic text, p_after_seq bigint, p_limit integer, p_member_of uuid, p_catchup_max integer) IS 'Read a topic after p_after_seq in one query: {events (as stored, in order, at most p_limit), last_seq, has_more, resync_needed (the gap is pruned, the client is ahead, or more than p_catchup_max entries behind), mode, poll_ms, me (the caller''s user topic seq)}; a member of p_member_of (its session) reads without the full check. Never has_more without events. Raises LOGIN, SUSPD, 42501, P0002.';

-- ACL: FUNCTION read_topic(p_topic text, p_after_seq bigint, p_limit integer, p_member_of uuid, p_catchup_max integer)
REVOKE ALL ON FUNCTION hidden.read_topic(p_topic text, p_after_seq bigint, p_limit integer, p_member_of uuid, p_catchup_max integer) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.read_topic(p_topic text, p_after_seq bigint, p_limit integer, p_member_of uuid, p_catchup_max integer) TO authenticated;
