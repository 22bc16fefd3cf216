-- FUNCTION: blocked_between(uuid, uuid)
CREATE FUNCTION hidden.blocked_between(p_a uuid, p_b uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return exists (
    select 1 from public.blocks as b
    where (b.blocker_id = p_a and b.blocked_id = p_b) or (b.blocker_id = p_b and b.blocked_id = p_a)
  );
end
$$;

-- COMMENT: FUNCTION blocked_between(p_a uuid, p_b uuid)
COMMENT ON FUNCTION hidden.blocked_between(p_a uuid, p_b uuid) IS 'Whether either user blocked the other.';

-- ACL: FUNCTION blocked_between(p_a uuid, p_b uuid)
REVOKE ALL ON FUNCTION hidden.blocked_between(p_a uuid, p_b uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.blocked_between(p_a uuid, p_b uuid) TO authenticated;
GRANT ALL ON FUNCTION hidden.blocked_between(p_a uuid, p_b uuid) TO service_role;
