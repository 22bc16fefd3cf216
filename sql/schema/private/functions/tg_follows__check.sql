-- FUNCTION: tg_follows__check()
CREATE FUNCTION private.tg_follows__check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if NEW.follower_id = NEW.followee_id then
    raise exception 'You cannot follow yourself.' using errcode = 'SELFX', hint = 'Follow a DJ instead.';
  end if;
  if hidden.blocked_between(NEW.follower_id, NEW.followee_id) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('BLOCK', 'You cannot follow this user.', 'One of you has blocked the other.'),
      detail = hidden.api_response('BLOCK');
  end if;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_follows__check()
COMMENT ON FUNCTION private.tg_follows__check() IS 'Before a follow: refuse self-follows and blocked pairs.';

-- ACL: FUNCTION tg_follows__check()
REVOKE ALL ON FUNCTION private.tg_follows__check() FROM PUBLIC;
