/*
 * realtime-spend-pacing: keep each billing cycle's Realtime messages within a budget by pacing
 * the listener budget, so the app is as live as the budget allows and no livelier.
 *
 * Supabase bills delivered messages per billing cycle (Pro: 5 M included, $2.50 per million
 * beyond). Every broadcast is logged with its recipients (rt_broadcast); each flush adds the
 * logged broadcasts up to 5 s ago (recipients + 1 each; the lag lets transactions that logged
 * earlier commit) and the listener-seconds since the previous flush to private.realtime_usage
 * (one row per UTC day). rt_pacing() then gives the effective listener
 * budget: the most messages per listener-minute the rest of the cycle can afford if listeners
 * listen as much as over the last 7 days,
 *     B_eff = clamp(0.9 x (M - used this cycle) / (daily listener-minutes x days left), B_min, B).
 * A listener never gets more than B_eff messages a minute from a room, so the projection bounds
 * the spend from above. It is recomputed every flush: growth that outruns the 7-day average
 * spends the remainder faster, which lowers B_eff at once. Without a full day of history,
 * B_eff = B.
 */

insert into private.settings (key, value, description) values
  ('realtime_monthly_messages', '40000000', 'M: Realtime messages per billing cycle (Pro: 5 M included).'),
  ('realtime_min_listener_budget_per_minute', '2', 'B_min: pacing never lowers the listener budget below this.'),
  ('realtime_cycle_start_day', '1', 'Day of the month (1-28, UTC) the billing cycle starts.');

create table private.realtime_usage (
  day date primary key,
  delivered bigint not null default 0,
  listener_seconds double precision not null default 0,
  updated_at timestamptz not null,
  counted_through timestamptz not null
);
comment on table private.realtime_usage is 'Realtime messages and listening time per UTC day: what pacing projects from.';
comment on column private.realtime_usage.day is 'The UTC day.';
comment on column private.realtime_usage.delivered is 'Messages Realtime counts for our broadcasts (recipients + 1 each).';
comment on column private.realtime_usage.listener_seconds is 'Sum over live rooms of listeners x seconds.';
comment on column private.realtime_usage.updated_at is 'When the flusher last added to the row.';
comment on column private.realtime_usage.counted_through is 'Broadcasts logged up to this time are counted (in some row).';
alter table private.realtime_usage enable row level security;
-- NOTE: no policies and no grants: only the flusher and operators (postgres) read it.

create function private.rt_cycle(p_now timestamptz, out cycle_start timestamptz, out cycle_end timestamptz)
language plpgsql stable
set search_path = ''
as $$
declare
  v_local timestamp := p_now at time zone 'UTC';
  v_month timestamp := date_trunc('month', p_now at time zone 'UTC');
  v_offset interval := make_interval(
    days => least(greatest((hidden.setting('realtime_cycle_start_day'))::integer, 1), 28) - 1
  );
begin
  if v_local < v_month + v_offset then
    v_month := v_month - interval '1 month';
  end if;
  cycle_start := (v_month + v_offset) at time zone 'UTC';
  cycle_end := (v_month + interval '1 month' + v_offset) at time zone 'UTC';
end
$$;
comment on function private.rt_cycle(timestamptz) is 'The billing cycle containing p_now (realtime_cycle_start_day, UTC).';

create function private.rt_account(p_listeners bigint) returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_now timestamptz := private.rt_now();
  v_through timestamptz := private.rt_now() - interval '5 seconds';
  v_last record;
  v_delivered bigint;
begin
  -- The caller (rt_allocate) holds the allocator's advisory lock: one accountant at a time.
  select max(u.updated_at) as updated_at, max(u.counted_through) as counted_through into v_last
  from private.realtime_usage as u;
  select coalesce(sum(l.recipients + 1), 0) into v_delivered
  from private.realtime_log as l
  where l.created_at > coalesce(v_last.counted_through, '-infinity') and l.created_at <= v_through;
  insert into private.realtime_usage as u (day, delivered, listener_seconds, updated_at, counted_through)
  values (
    (v_now at time zone 'UTC')::date, v_delivered,
    -- Listening time since the previous flush, at most 5 s: a stopped flusher undercounts rather
    -- than inventing a crowd.
    p_listeners * least(greatest(coalesce(extract(epoch from v_now - v_last.updated_at), 0), 0), 5),
    v_now, greatest(v_through, v_last.counted_through)
  )
  on conflict (day) do update
  set delivered = u.delivered + excluded.delivered, listener_seconds = u.listener_seconds + excluded.listener_seconds,
    updated_at = greatest(u.updated_at, excluded.updated_at),
    counted_through = greatest(u.counted_through, excluded.counted_through);
end
$$;
comment on function private.rt_account(bigint) is
  'Add the messages logged since the last count (up to 5 s ago) and p_listeners x the seconds since the last '
  'flush to today''s usage.';

create function private.rt_pacing(
  out listener_budget double precision, out used bigint, out monthly_messages bigint,
  out daily_listener_minutes double precision, out days_left double precision,
  out cycle_start timestamptz, out cycle_end timestamptz
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
  select avg(d.listener_seconds) / 60 into daily_listener_minutes
  from (
    select u.listener_seconds from private.realtime_usage as u
    where u.day < (v_now at time zone 'UTC')::date order by u.day desc limit 7
  ) as d;
  days_left := greatest(extract(epoch from cycle_end - v_now) / 86400, 1.0 / 24);
  listener_budget := case
    when coalesce(daily_listener_minutes, 0) = 0 then v_max
    else least(v_max, greatest(
      (hidden.setting('realtime_min_listener_budget_per_minute'))::double precision,
      0.9 * (monthly_messages - used) / (daily_listener_minutes * days_left)
    ))
  end;
end
$$;
comment on function private.rt_pacing() is
  'The effective listener budget (messages per listener-minute) that keeps this billing cycle within '
  'realtime_monthly_messages, and what it is computed from. Operators: whatssound events budget.';
