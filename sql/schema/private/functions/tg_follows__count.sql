-- FUNCTION: tg_follows__count()
CREATE FUNCTION private.tg_follows__count() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_delta integer := case when TG_OP = 'INSERT' then 1 else -1 end;
  v_row public.follows := case when TG_OP = 'INSERT' then NEW else OLD end;
begin
  -- Lock order: followee first, then follower, by id, so crossed follows cannot deadlock.
  update public.profiles as p
  set follower_count = p.follower_count + case when p.id = v_row.followee_id then v_delta else 0 end,
    following_count = p.following_count + case when p.id = v_row.follower_id then v_delta else 0 end
  where p.id in (v_row.followee_id, v_row.follower_id);
  if TG_OP = 'INSERT' then
    perform private.notify(
      v_row.followee_id, 'new_follower', 'new_follower:' || v_row.follower_id, v_row.follower_id
    );
  end if;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_follows__count()
COMMENT ON FUNCTION private.tg_follows__count() IS 'After a follow or unfollow: adjust both profiles'' counts exactly, and notify a new follower once.';

-- ACL: FUNCTION tg_follows__count()
REVOKE ALL ON FUNCTION private.tg_follows__count() FROM PUBLIC;
