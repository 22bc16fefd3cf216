-- FUNCTION: fanout_live_page(uuid, integer)
CREATE FUNCTION private.fanout_live_page(p_session_id uuid, p_limit integer) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_session public.dj_sessions;
  v_after uuid;
  v_last uuid;
  v_paged integer;
  v_notified integer;
begin
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session.status is distinct from 'live' then
    return false;  -- ended (or gone) before we got here: nobody needs to hear it now
  end if;
  insert into private.push_fanouts (session_id) values (p_session_id) on conflict (session_id) do nothing;
  -- The row lock makes concurrent runs of one fan-out take turns, each after the other's committed page.
  select f.after_follower_id into v_after from private.push_fanouts as f
  where f.session_id = p_session_id and f.finished_at is null
  for update;
  if not found then
    return false;
  end if;
  with page as (
    select f.follower_id from public.follows as f
    where f.followee_id = v_session.dj_id and f.follower_id > coalesce(v_after, '00000000-0000-0000-0000-000000000000')
    order by f.follower_id
    limit p_limit
  ),
  notified as (
    insert into public.notifications (user_id, kind, dedupe_key, actor_id, session_id, payload)
    select p.follower_id, 'dj_live', 'dj_live:' || v_session.id, v_session.dj_id, v_session.id,
      jsonb_build_object('title', v_session.title)
    from page as p
    where not hidden.is_banned(v_session.dj_id, p.follower_id)
    on conflict (user_id, dedupe_key) do nothing
    returning 1
  )
  select max(p.follower_id::text)::uuid, count(*)::integer, (select count(*)::integer from notified)
  into v_last, v_paged, v_notified
  from page as p;
  update private.push_fanouts as f
  set after_follower_id = coalesce(v_last, f.after_follower_id), pages = f.pages + sign(v_paged)::integer,
    notified = f.notified + v_notified, finished_at = case when v_paged < p_limit then now() end
  where f.session_id = p_session_id;
  return v_paged = p_limit;
end
$$;

-- COMMENT: FUNCTION fanout_live_page(p_session_id uuid, p_limit integer)
COMMENT ON FUNCTION private.fanout_live_page(p_session_id uuid, p_limit integer) IS 'Notify the next p_limit followers of the live DJ after the fan-out''s committed cursor, and advance it in the same transaction; returns whether more may follow. Resumable and idempotent: a re-run continues where the last committed page ended, and a follower already notified of this session is skipped.';

-- ACL: FUNCTION fanout_live_page(p_session_id uuid, p_limit integer)
REVOKE ALL ON FUNCTION private.fanout_live_page(p_session_id uuid, p_limit integer) FROM PUBLIC;
