-- FUNCTION: dispute_rank(text)
CREATE FUNCTION private.dispute_rank(p_status text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select case p_status
    when 'warning_needs_response' then 1
    when 'warning_under_review' then 2
    when 'needs_response' then 3
    when 'under_review' then 4
    when 'won' then 5
    when 'lost' then 5
    when 'warning_closed' then 5
    when 'prevented' then 5
    when 'charge_refunded' then 5
    else 0
  end
$$;

-- COMMENT: FUNCTION dispute_rank(p_status text)
COMMENT ON FUNCTION private.dispute_rank(p_status text) IS 'Step of a Stripe dispute status in its machine (5: closed, final; 0: a status we do not know).';

-- ACL: FUNCTION dispute_rank(p_status text)
REVOKE ALL ON FUNCTION private.dispute_rank(p_status text) FROM PUBLIC;
