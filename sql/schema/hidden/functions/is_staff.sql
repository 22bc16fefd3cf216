-- FUNCTION: is_staff()
CREATE FUNCTION hidden.is_staff() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return exists (select 1 from private.staff as s where s.user_id = auth.uid());
end
$$;

-- COMMENT: FUNCTION is_staff()
COMMENT ON FUNCTION hidden.is_staff() IS 'Whether the caller is WhatsSound staff.';

-- ACL: FUNCTION is_staff()
REVOKE ALL ON FUNCTION hidden.is_staff() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.is_staff() TO anon;
GRANT ALL ON FUNCTION hidden.is_staff() TO authenticated;
GRANT ALL ON FUNCTION hidden.is_staff() TO service_role;
