-- FUNCTION: new_invite_code()
CREATE FUNCTION private.new_invite_code() RETURNS text
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  select string_agg(substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::integer, 1), '')
  from generate_series(1, 8)
$$;

-- COMMENT: FUNCTION new_invite_code()
COMMENT ON FUNCTION private.new_invite_code() IS 'A random 8-character invite code (unambiguous alphabet).';

-- ACL: FUNCTION new_invite_code()
REVOKE ALL ON FUNCTION private.new_invite_code() FROM PUBLIC;
