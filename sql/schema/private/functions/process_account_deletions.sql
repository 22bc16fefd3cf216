-- FUNCTION: process_account_deletions(integer)
CREATE FUNCTION private.process_account_deletions(p_limit integer DEFAULT 20) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_user uuid;
  v_done integer := 0;
begin
  for v_user in
    select d.user_id from private.account_deletions as d
    where d.completed_at is null order by d.requested_at limit p_limit
    for update skip locked
  loop
    perform private.erase_account(v_user);
    update private.account_deletions as d set completed_at = now(), handle = null where d.user_id = v_user;
    v_done := v_done + 1;
  end loop;
  return v_done;
end
$$;

-- COMMENT: FUNCTION process_account_deletions(p_limit integer)
COMMENT ON FUNCTION private.process_account_deletions(p_limit integer) IS 'Scheduled (the service, every few seconds): complete pending account deletions. Returns how many.';

-- ACL: FUNCTION process_account_deletions(p_limit integer)
REVOKE ALL ON FUNCTION private.process_account_deletions(p_limit integer) FROM PUBLIC;
