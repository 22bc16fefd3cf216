/*
 * realtime-pacing-sets-aside-the-rest: pacing governs push rooms' spend, and projects the rest.
 *
 * rt_pacing (20261202070400) divided what is left of the month by push rooms' subscriber-minutes,
 * as if push rooms spent every message. Staff lanes and personal topics spend too, and pacing
 * cannot hold them back: so once the projection passed the monthly figure, push rooms were given
 * the staff lanes' share as well and the cycle overspent. Today's usage now records `paced` (the messages broadcast on session
 * topics) beside `delivered`; past the monthly figure the listener budget is
 *     B_eff = clamp(0.9 x (M - used - daily unpaced x days left) / (daily subscriber-minutes x days left), B_min, B),
 * the same formula as the cost model's (whatssound_svc/capacity/workload.py::pacing_budget,
 * tests/capacity/test_model_agrees_with_sql.py).
 */

-- usage ----------------------------------------------------------------------------------------

alter table private.realtime_usage add column paced bigint not null default 0;
comment on column private.realtime_usage.paced is
  'Of delivered, the messages broadcast on session topics (push rooms): the spend pacing governs; the rest '
  '(staff lanes, personal topics) it projects and leaves alone.';

create or replace function private.rt_account(p_subscribers bigint, p_listeners bigint) returns void
language plpgsql volatile
set search_path = ''
as $$
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
comment on function private.rt_account(bigint, bigint) is
  'Add the messages broadcast since the last count (up to 5 s ago; entries only polled are free), and the '
  'seconds since the last flush times push rooms'' subscribers and all listeners, to today''s usage.';

-- pacing ---------------------------------------------------------------------------------------

drop function private.rt_pacing();
create function private.rt_pacing(
  out listener_budget double precision, out used bigint, out projected double precision,
  out monthly_messages bigint, out daily_messages double precision, out daily_unpaced double precision,
  out daily_subscriber_minutes double precision,
  out days_left double precision, out cycle_start timestamptz, out cycle_end timestamptz
)
language plpgsql stable
set search_path = ''
as $$
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
comment on function private.rt_pacing() is
  'The listener budget (broadcasts per subscriber-minute) for push rooms: B while this cycle''s projected spend '
  '(used + the last 7 days'' daily average x days left) fits realtime_monthly_messages, else what the rest of the '
  'cycle affords per push-room subscriber-minute; and what it is computed from. Operators: whatssound events budget.';
