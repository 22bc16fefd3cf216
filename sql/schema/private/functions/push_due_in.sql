-- FUNCTION: push_due_in()
CREATE FUNCTION private.push_due_in() RETURNS double precision
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_in double precision;
begin
  -- A worker that died mid-send: what never left is queued again; what left is unknown, never re-sent.
  update private.push_messages as m
  set status = case when m.posted_at is null then 'queued' else 'unknown' end::private.push_status,
    attempts = m.attempts - case when m.posted_at is null then 1 else 0 end,
    not_before = case when m.posted_at is null then now() else m.not_before end,
    error = case when m.posted_at is null then 'worker died before sending'
      else 'worker died waiting for Expo''s answer' end
  where m.status = 'sending'
    and (m.claimed_at < now() - interval '5 minutes' or (m.posted_at is null and m.claimed_at < now() - interval '1 minute'));
  select extract(epoch from min(m.not_before) - now()) into v_in
  from private.push_messages as m where m.status = 'queued';
  return v_in;
end
$$;

-- COMMENT: FUNCTION push_due_in()
COMMENT ON FUNCTION private.push_due_in() IS 'Seconds until the earliest queued message is due (<= 0: due now; NULL: none queued). First, a dead worker''s messages: claimed 1+ minute ago and never posted are queued again; posted 5+ minutes ago without an answer are marked unknown (not re-sent).';

-- ACL: FUNCTION push_due_in()
REVOKE ALL ON FUNCTION private.push_due_in() FROM PUBLIC;
