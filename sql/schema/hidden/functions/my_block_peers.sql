-- FUNCTION: my_block_peers()
CREATE FUNCTION hidden.my_block_peers() RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return query
  select b.blocked_id from public.blocks as b where b.blocker_id = auth.uid()
  union
  select b.blocker_id from public.blocks as b where b.blocked_id = auth.uid();
end
$$;

-- COMMENT: FUNCTION my_block_peers()
COMMENT ON FUNCTION hidden.my_block_peers() IS 'Users the caller blocked or who blocked the caller (for RLS: use as array(select ...)).';

-- ACL: FUNCTION my_block_peers()
REVOKE ALL ON FUNCTION hidden.my_block_peers() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.my_block_peers() TO anon;
GRANT ALL ON FUNCTION hidden.my_block_peers() TO authenticated;
GRANT ALL ON FUNCTION hidden.my_block_peers() TO service_role;
