-- FUNCTION: tg_blocks__sever()
CREATE FUNCTION private.tg_blocks__sever() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if NEW.blocker_id = NEW.blocked_id then
    raise exception 'You cannot block yourself.' using errcode = 'SELFX', hint = 'Block another user.';
  end if;
  delete from public.follows as f
  where (f.follower_id = NEW.blocker_id and f.followee_id = NEW.blocked_id)
    or (f.follower_id = NEW.blocked_id and f.followee_id = NEW.blocker_id);
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_blocks__sever()
COMMENT ON FUNCTION private.tg_blocks__sever() IS 'Before a block: remove follows in both directions.';

-- ACL: FUNCTION tg_blocks__sever()
REVOKE ALL ON FUNCTION private.tg_blocks__sever() FROM PUBLIC;
