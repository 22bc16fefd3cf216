-- FUNCTION: setting(text)
CREATE FUNCTION hidden.setting(p_key text) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  -- PL/pgSQL, not SQL: its plan is kept for the session (a SQL function is re-planned per statement).
  return (select s.value from private.settings as s where s.key = p_key);
end
$$;

-- COMMENT: FUNCTION setting(p_key text)
COMMENT ON FUNCTION hidden.setting(p_key text) IS 'The JSON value of an operational setting (NULL if unknown).';

-- ACL: FUNCTION setting(p_key text)
REVOKE ALL ON FUNCTION hidden.setting(p_key text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.setting(p_key text) TO anon;
GRANT ALL ON FUNCTION hidden.setting(p_key text) TO authenticated;
GRANT ALL ON FUNCTION hidden.setting(p_key text) TO service_role;
