/*
 * realtime-pacing-by-subscribers: the budget counts what Realtime bills, and a bucket delivers
 * its quota.
 *
 * Three corrections to the budget (ADR 2026-12-02), which now governs only what is broadcast (push
 * rooms, staff lanes, personal events: pull rooms cost no messages):
 *   - a broadcast costs its subscribers + 1, the subscribers being a push room's foreground
 *     members (rt_refresh_delivery), not its listener count: most listening is in the background;
 *   - pacing projects from push rooms' subscriber-minutes (what the cost model divides by), and is
 *     a guard: while the cycle's projected spend (used + the last 7 days' daily average x days
 *     left) fits realtime_monthly_messages it does not hold anyone back; past it, the listener
 *     budget falls to what the rest of the cycle affords,
 *         B_eff = clamp(0.9 x (M - used) / (daily subscriber-minutes x days left), B_min, B);
 *   - a token bucket refills at its quota: q / 60 a second, with a burst of c = clamp(q / 6, 1, C)
 *     on top, so a room allowed q broadcasts a minute sends q a minute (at most q + c in any 60 s).
 *     Before, it refilled (q - c) / 60: at a quota of 2 it sent one broadcast a minute.
 */

-- the bucket -----------------------------------------------------------------------------------

create or replace function private.rt_refill(p_quota double precision) returns double precision
language sql immutable
set search_path = ''
as $$
  select p_quota / 60
$$;
comment on function private.rt_refill(double precision) is
  'Token refill per second for a room allowed p_quota broadcasts a minute: the quota itself (the burst is on top).';

update private.realtime_topics set rate = private.rt_refill(quota);

create or replace function private.rt_take_token(p_topic private.realtime_topics) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_now timestamptz := private.rt_now();
  v_tokens double precision := least(p_topic.capacity,
    p_topic.tokens + greatest(extract(epoch from v_now - p_topic.refilled_at), 0) * p_topic.rate);
  -- Ten refills of 0.1 add up to 0.9999999999999999: a token is whole within a rounding error.
  v_whole boolean := v_tokens >= 1 - 1e-9;
begin
  update private.realtime_topics as t
  set tokens = case when v_whole then greatest(v_tokens - 1, 0) else v_tokens end, refilled_at = v_now
  where t.topic = p_topic.topic;
  return v_whole;
end
$$;

-- usage ----------------------------------------------------------------------------------------

alter table private.realtime_usage add column subscriber_seconds double precision not null default 0;
comment on column private.realtime_usage.subscriber_seconds is
  'Sum over push rooms of subscribers x seconds: what pacing divides the budget by.';
comment on column private.realtime_usage.listener_seconds is 'Sum over live rooms of present listeners x seconds.';
comment on column private.realtime_usage.delivered is 'Messages Realtime counts for our broadcasts (recipients + 1 each; polls are free).';

drop function private.rt_account(bigint);
create function private.rt_account(p_subscribers bigint, p_listeners bigint) returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_now timestamptz := private.rt_now();
  v_through timestamptz := private.rt_now() - interval '5 seconds';
  v_last record;
  v_delivered bigint;
  v_seconds double precision;
begin
  -- The caller (rt_allocate) holds the allocator's advisory lock: one accountant at a time.
  select max(u.updated_at) as updated_at, max(u.counted_through) as counted_through into v_last
  from private.realtime_usage as u;
  select coalesce(sum(l.recipients + 1) filter (where l.sent), 0) into v_delivered
  from private.realtime_log as l
  where l.created_at > coalesce(v_last.counted_through, '-infinity') and l.created_at <= v_through;
  -- Time since the previous flush, at most 5 s: a stopped flusher undercounts rather than inventing a crowd.
  v_seconds := least(greatest(coalesce(extract(epoch from v_now - v_last.updated_at), 0), 0), 5);
  insert into private.realtime_usage as u (day, delivered, listener_seconds, subscriber_seconds, updated_at, counted_through)
  values ((v_now at time zone 'UTC')::date, v_delivered, p_listeners * v_seconds, p_subscribers * v_seconds, v_now,
    greatest(v_through, v_last.counted_through))
  on conflict (day) do update
  set delivered = u.delivered + excluded.delivered, listener_seconds = u.listener_seconds + excluded.listener_seconds,
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
  out monthly_messages bigint, out daily_messages double precision, out daily_subscriber_minutes double precision,
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
  select avg(d.delivered), avg(d.subscriber_seconds) / 60 into daily_messages, daily_subscriber_minutes
  from (
    select u.delivered, u.subscriber_seconds from private.realtime_usage as u
    where u.day < (v_now at time zone 'UTC')::date order by u.day desc limit 7
  ) as d;
  days_left := greatest(extract(epoch from cycle_end - v_now) / 86400, 1.0 / 24);
  projected := used + coalesce(daily_messages, 0) * days_left;
  listener_budget := case
    when projected <= monthly_messages or coalesce(daily_subscriber_minutes, 0) = 0 then v_max
    else least(v_max, greatest(
      (hidden.setting('realtime_min_listener_budget_per_minute'))::double precision,
      0.9 * (monthly_messages - used) / (daily_subscriber_minutes * days_left)
    ))
  end;
end
$$;
comment on function private.rt_pacing() is
  'The listener budget (broadcasts per subscriber-minute) for push rooms: B while this cycle''s projected spend '
  '(used + the last 7 days'' daily average x days left) fits realtime_monthly_messages, else what the rest of the '
  'cycle affords per push-room subscriber-minute; and what it is computed from. Operators: whatssound events budget.';

-- allocation -----------------------------------------------------------------------------------

create or replace function private.rt_allocate() returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_max double precision;
  v_budget double precision := 60 * (hidden.setting('realtime_project_messages_per_second'))::double precision
    * (hidden.setting('realtime_safety_factor'))::double precision;
  v_floor double precision;
  v_weight double precision;
  v_burst double precision;
  v_rooms integer;
  v_listeners bigint;
  v_room record;
  v_extra double precision;
  v_topics text[] := '{}'::text[];
  v_quotas double precision[] := '{}'::double precision[];
begin
  -- One allocator at a time (pg_cron and the service may both flush); the other just sends ticks.
  if not pg_try_advisory_xact_lock(hashtextextended('whatssound:realtime_allocate', 0)) then
    return;
  end if;
  select coalesce(sum(t.subscribers + 1) filter (where t.delivery = 'push'), 0),
    count(*) filter (where t.delivery = 'push'), coalesce(sum(s.listener_count), 0)
  into v_weight, v_rooms, v_listeners
  from public.dj_sessions as s join private.realtime_topics as t on t.topic = 'session:' || s.id
  where s.status = 'live';
  perform private.rt_account((v_weight - v_rooms)::bigint, v_listeners);
  v_max := (select p.listener_budget from private.rt_pacing() as p);
  v_floor := least(3, v_max);  -- one broadcast, then one every 20 s
  if v_floor * v_weight > v_budget then
    v_floor := v_budget / v_weight;  -- beyond any plan's connection limit: share equally per subscriber
  end if;
  v_budget := v_budget - v_floor * v_weight;
  -- Bursts share what the safety factor leaves of one second: with every bucket full and every
  -- room refilling at its quota, a second carries at most L (while push rooms hold fewer than
  -- (1 - safety) x L subscribers in all: 500 at L = 2,500; beyond, a burst is one broadcast).
  v_burst := greatest(1, (1 - (hidden.setting('realtime_safety_factor'))::double precision)
    * (hidden.setting('realtime_project_messages_per_second'))::double precision / greatest(v_weight, 1));
  -- Every push room gets the floor; the rest of the budget (in delivered messages) is shared
  -- equally between them, each taking at most what lifts it to the paced budget, fewest
  -- subscribers first (a broadcast costs subscribers + 1). Pull rooms are not broadcast to.
  for v_room in
    select t.topic, t.subscribers + 1 as weight from public.dj_sessions as s
    join private.realtime_topics as t on t.topic = 'session:' || s.id
    where s.status = 'live' and t.delivery = 'push' order by t.subscribers, t.topic
  loop
    v_extra := least(v_max - v_floor, v_budget / v_rooms / v_room.weight);
    v_budget := greatest(v_budget - v_extra * v_room.weight, 0);
    v_rooms := v_rooms - 1;
    v_topics := v_topics || v_room.topic;
    v_quotas := v_quotas || (v_floor + v_extra);
  end loop;
  -- A room busy right now (an emitter or another flusher holds its row) keeps its quota until the
  -- next run: waiting here would stall every other room's tick.
  update private.realtime_topics as t
  set quota = a.quota, capacity = b.capacity, rate = b.rate, tokens = least(t.tokens, b.capacity)
  from unnest(v_topics, v_quotas) as a(topic, quota)
  cross join lateral (
    select least(private.rt_capacity(a.quota), v_burst) as capacity, private.rt_refill(a.quota) as rate
  ) as b
  where t.topic = a.topic and (t.quota, t.capacity, t.rate) is distinct from (a.quota, b.capacity, b.rate)
    and t.topic in (
      select l.topic from private.realtime_topics as l where l.topic = any (v_topics) for update skip locked
    );
end
$$;
comment on function private.rt_allocate() is
  'Account usage, then share the project''s per-minute budget between live push rooms (a floor for all, then equal '
  'shares of delivered messages, fewest subscribers first, capped at the paced listener budget) and set each '
  'room''s quota, refill rate and bucket capacity (bursts together within what the safety factor leaves of a second).';
