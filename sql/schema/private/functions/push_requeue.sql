-- FUNCTION: push_requeue(timestamp with time zone, text, boolean)
CREATE FUNCTION private.push_requeue(p_since timestamp with time zone, p_error text DEFAULT NULL::text, p_dry_run boolean DEFAULT false) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_count integer;
begin
  with chosen as (
    select m.id from private.push_messages as m
    join public.push_devices as d on d.id = m.device_id
    where m.status = 'failed' and m.created_at >= p_since and d.active and (p_error is null or m.error = p_error)
    for update of m
  ),
  requeued as (
    update private.push_messages as m
    set status = 'queued', attempts = 0, not_before = now(), claimed_at = null, posted_at = null
    from chosen as c
    where m.id = c.id and not p_dry_run
  )
  select count(*)::integer into v_count from chosen;
  if v_count > 0 and not p_dry_run then
    perform private.enqueue_job('push:send', '{}', 'push', 'push:send');
  end if;
  return v_count;
end
$$;

-- COMMENT: FUNCTION push_requeue(p_since timestamp with time zone, p_error text, p_dry_run boolean)
COMMENT ON FUNCTION private.push_requeue(p_since timestamp with time zone, p_error text, p_dry_run boolean) IS 'Operators: failed pushes created since p_since (with error p_error, if given) to active devices are queued again with fresh attempts (push_drop_stale_kinds still applies). Returns how many (p_dry_run: only counts).';

-- ACL: FUNCTION push_requeue(p_since timestamp with time zone, p_error text, p_dry_run boolean)
REVOKE ALL ON FUNCTION private.push_requeue(p_since timestamp with time zone, p_error text, p_dry_run boolean) FROM PUBLIC;
