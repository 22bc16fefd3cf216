-- FUNCTION: rt_account(bigint, bigint)
CREATE FUNCTION private.rt_account(p_subscribers bigint, p_listeners bigint) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_now timestamptz := private.rt_now();
  v_through timestamptz := private.rt_now() - interval '5 seconds';
  v_last record;
  v_delivered bigint;
  v_paced bigint;
  v_seconds double precision;
begin
  -- The caller (rt_allocate) holds the allocator's advisory lock: one accountant at a time.
  select max(u.updated_at) as updated_at, max(u.counted_through) as counted_through into v_last
  from private.realtime_usage as u;
  select coalesce(sum(l.recipients + 1) filter (where l.sent), 0),
    coalesce(sum(l.recipients + 1) filter (where l.sent and l.topic like 'session:%'), 0)
  into v_delivered, v_paced
  from private.realtime_log as l
  where l.created_at > coalesce(v_last.counted_through, '-infinity') and l.created_at <= v_through;
  -- Time since the previous flush, at most 5 s: a stopped flusher undercounts rather than inventing a crowd.
  v_seconds := least(greatest(coalesce(extract(epoch from v_now - v_last.updated_at), 0), 0), 5);
  insert into private.realtime_usage as u (day, delivered, paced, listener_seconds, subscriber_seconds,
    updated_at, counted_through)
  values ((v_now at time zone 'UTC')::date, v_delivered, v_paced, p_listeners * v_seconds, p_subscribers * v_seconds, v_now,
    greatest(v_through, v_last.counted_through))
  on conflict (day) do update
  set delivered = u.delivered + excluded.delivered, paced = u.paced + excluded.paced,
    listener_seconds = u.listener_seconds + excluded.listener_seconds,
    subscriber_seconds = u.subscriber_seconds + excluded.subscriber_seconds,
    updated_at = greatest(u.updated_at, excluded.updated_at),
    counted_through = greatest(u.counted_through, excluded.counted_through);
end
$$;

-- COMMENT: FUNCTION rt_account(p_subscribers bigint, p_listeners bigint)
COMMENT ON FUNCTION private.rt_account(p_subscribers bigint, p_listeners bigint) IS 'Add the messages broadcast since the last count (up to 5 s ago; entries only polled are free), and the seconds since the last flush times push rooms'' subscribers and all listeners, to today''s usage.';

-- ACL: FUNCTION rt_account(p_subscribers bigint, p_listeners bigint)
REVOKE ALL ON FUNCTION private.rt_account(p_subscribers bigint, p_listeners bigint) FROM PUBLIC;
