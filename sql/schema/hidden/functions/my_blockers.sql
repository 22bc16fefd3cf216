-- FUNCTION: my_blockers()
CREATE FUNCTION hidden.my_blockers() RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return query select b.blocker_id from public.blocks as b where b.blocked_id = auth.uid();
end
$$;

-- COMMENT: FUNCTION my_blockers()
COMMENT ON FUNCTION hidden.my_blockers() IS 'Users who blocked the caller.';

-- ACL: FUNCTION my_blockers()
REVOKE ALL ON FUNCTION hidden.my_blockers() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.my_blockers() TO authenticated;
GRANT ALL ON FUNCTION hidden.my_blockers() TO service_role;
