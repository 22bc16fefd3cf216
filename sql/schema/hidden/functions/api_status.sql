-- FUNCTION: api_status(text)
CREATE FUNCTION hidden.api_status(p_code text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select case
    when p_code = 'LOGIN' then 401
    when p_code in ('SUSPD', 'ANONY', 'BANND', 'BLOCK', 'TMOUT', 'NOFLW', 'INVIT', 'SUBSC', 'DJONL', 'NOTIN', 'NOEDT')
      then 403
    when p_code = 'P0002' then 404
    when p_code in (
      'TAKEN', 'ALIKE', 'LIVE1', 'IDCLS', 'IDMIS', 'STATE', 'ENDED', 'QLOCK', 'REQCL', 'REJTD', 'QUOTA', 'IDLEQ',
      'NLIVE', 'DJACC'
    ) then 409
    when p_code in ('RATEL', 'SLOWM', 'COOLD') then 429
    else 400
  end
$$;

-- COMMENT: FUNCTION api_status(p_code text)
COMMENT ON FUNCTION hidden.api_status(p_code text) IS 'The HTTP status the app gets for an error code of docs/error-codes.md (its HTTP column): 401 LOGIN; 403 refusals of who the caller is (suspended, guest, banned, blocked, timed out, not following, not invited, not subscribed, not a DJ, not in the room, append-only log); 404 P0002; 409 conflicts with the current state; 429 rate limits; 400 the rest.';

-- ACL: FUNCTION api_status(p_code text)
REVOKE ALL ON FUNCTION hidden.api_status(p_code text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.api_status(p_code text) TO anon;
GRANT ALL ON FUNCTION hidden.api_status(p_code text) TO authenticated;
GRANT ALL ON FUNCTION hidden.api_status(p_code text) TO service_role;
