-- FUNCTION: my_followed_ids()
CREATE FUNCTION hidden.my_followed_ids() RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return query select f.followee_id from public.follows as f where f.follower_id = auth.uid();
end
$$;

-- COMMENT: FUNCTION my_followed_ids()
COMMENT ON FUNCTION hidden.my_followed_ids() IS 'Users the caller follows.';

-- ACL: FUNCTION my_followed_ids()
REVOKE ALL ON FUNCTION hidden.my_followed_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.my_followed_ids() TO authenticated;
GRANT ALL ON FUNCTION hidden.my_followed_ids() TO service_role;
