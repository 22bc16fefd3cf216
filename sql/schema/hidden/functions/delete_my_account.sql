-- FUNCTION: delete_my_account()
CREATE FUNCTION hidden.delete_my_account() RETURNS json
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_requested timestamptz;
  v_items uuid[];
begin
  insert into private.account_deletions (user_id, handle)
  values (v_uid, (select p.handle from public.profiles as p where p.id = v_uid))
  on conflict (user_id) do update set requested_at = private.account_deletions.requested_at
  returning requested_at into v_requested;
  update public.dj_sessions as s set status = 'ended' where s.dj_id = v_uid and s.status = 'live';
  update public.profiles as p set handle_changed_at = null where p.id = v_uid;
  update public.profiles as p
  set handle = 'deleted_' || substr(md5(random()::text || v_uid::text), 1, 12), display_name = 'Deleted user',
    avatar_url = null, bio = '', is_dj = false, is_verified = false
  where p.id = v_uid;
  delete from public.follows as f where v_uid in (f.follower_id, f.followee_id);
  delete from public.blocks as b where v_uid in (b.blocker_id, b.blocked_id);
  delete from public.session_members as m where m.user_id = v_uid;
  -- Their votes go and the tallies (and queue order) of what they voted on follow.
  select coalesce(array_agg(v.item_id), '{}') into v_items from public.queue_votes as v where v.user_id = v_uid;
  delete from public.queue_votes as v where v.user_id = v_uid;
  update public.queue_items as q
  set upvotes = (select count(*) from public.queue_votes as v where v.item_id = q.id and v.value = 1),
    downvotes = (select count(*) from public.queue_votes as v where v.item_id = q.id and v.value = -1)
  where q.id = any (v_items);
  perform private.rerank_session(q.session_id) from public.queue_items as q where q.id = any (v_items) group by q.session_id;
  delete from public.skip_votes as v where v.user_id = v_uid;
  delete from public.playlists as l where l.owner_id = v_uid;
  delete from public.notifications as n where n.user_id = v_uid;
  delete from public.entitlements as e where e.user_id = v_uid;
  return json_build_object('status', 'scheduled', 'requested_at', v_requested);
end
$$;

-- COMMENT: FUNCTION delete_my_account()
COMMENT ON FUNCTION hidden.delete_my_account() IS 'Implementation of delete_my_account.';

-- ACL: FUNCTION delete_my_account()
REVOKE ALL ON FUNCTION hidden.delete_my_account() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.delete_my_account() TO authenticated;
