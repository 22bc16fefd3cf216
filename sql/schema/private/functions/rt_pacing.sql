-- FUNCTION: rt_pacing()
CREATE FUNCTION private.rt_pacing(OUT listener_budget double precision, OUT used bigint, OUT projected double precision, OUT monthly_messages bigint, OUT daily_messages double precision, OUT daily_unpaced double precision, OUT daily_subscriber_minutes double precision, OUT days_left double precision, OUT cycle_start timestamp with time zone, OUT cycle_end timestamp with time zone) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_now timestamptz := private.rt_now();
  v_max double precision := (hidden.setting('realtime_listener_budget_per_minute'))::double precision;
begin
  select c.cycle_start, c.cycle_end into cycle_start, cycle_end from private.rt_cycle(v_now) as c;
  monthly_messages := (hidden.setting('realtime_monthly_messages'))::bigint;
  select coalesce(sum(u.delivered), 0) into used
  from private.realtime_usage as u where u.day >= (cycle_start at time zone 'UTC')::date;
  select avg(d.delivered), avg(d.delivered - d.paced), avg(d.subscriber_seconds) / 60
  into daily_messages, daily_unpaced, daily_subscriber_minutes
  from (
    select u.delivered, u.paced, u.subscriber_seconds from private.realtime_usage as u
    where u.day < (v_now at time zone 'UTC')::date order by u.day desc limit 7
  ) as d;
  days_left := greatest(extract(epoch from cycle_end - v_now) / 86400, 1.0 / 24);
  projected := used + coalesce(daily_messages, 0) * days_left;
  listener_budget := case
    when projected <= monthly_messages or coalesce(daily_subscriber_minutes, 0) = 0 then v_max
    else least(v_max, greatest(
      (hidden.setting('realtime_min_listener_budget_per_minute'))::double precision,
      -- What is left once the unpaced spend (staff lanes, personal topics) is projected, over the
      -- push rooms' subscriber-minutes still to come; 10 % kept back.
      0.9 * (monthly_messages - used - coalesce(daily_unpaced, 0) * days_left) / (daily_subscriber_minutes * days_left)
    ))
  end;
end
$$;

-- COMMENT: FUNCTION rt_pacing(OUT listener_budget double precision, OUT used bigint, OUT projected double precision, OUT monthly_messages bigint, OUT daily_messages double precision, OUT daily_unpaced double precision, OUT daily_subscriber_minutes double precision, OUT days_left double precision, OUT cycle_start timestamp with time zone, OUT cycle_end timestamp with time zone)
COMMENT ON FUNCTION private.rt_pacing(OUT listener_budget double precision, OUT used bigint, OUT projected double precision, OUT monthly_messages bigint, OUT daily_messages double precision, OUT daily_unpaced double precision, OUT daily_subscriber_minutes double precision, OUT days_left double precision, OUT cycle_start timestamp with time zone, OUT cycle_end timestamp with time zone) IS 'The listener budget (broadcasts per subscriber-minute) for push rooms: B while this cycle''s projected spend (used + the last 7 days'' daily average x days left) fits realtime_monthly_messages, else what the rest of the cycle affords per push-room subscriber-minute; and what it is computed from. Operators: whatssound events budget.';

-- ACL: FUNCTION rt_pacing(OUT listener_budget double precision, OUT used bigint, OUT projected double precision, OUT monthly_messages bigint, OUT daily_messages double precision, OUT daily_unpaced double precision, OUT daily_subscriber_minutes double precision, OUT days_left double precision, OUT cycle_start timestamp with time zone, OUT cycle_end timestamp with time zone)
REVOKE ALL ON FUNCTION private.rt_pacing(OUT listener_budget double precision, OUT used bigint, OUT projected double precision, OUT monthly_messages bigint, OUT daily_messages double precision, OUT daily_unpaced double precision, OUT daily_subscriber_minutes double precision, OUT days_left double precision, OUT cycle_start timestamp with time zone, OUT cycle_end timestamp with time zone) FROM PUBLIC;
