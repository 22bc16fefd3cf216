/*
 * push-sending: what the push worker calls, and what starts the fan-outs.
 *
 *   private.push_take(n)          tokens from the project-wide bucket (rate + burst <= 600/s)
 *   private.push_due()            anything to send? (and mark what dead workers were sending `lost`)
 *   private.push_claim(n)         up to n due messages, bursts collapsed, marked sending
 *   private.push_results(json)    Expo's answers: sent with a ticket, retry later, or failed
 *   private.push_receipts_due(n)  tickets ready for their receipt (15 min .. 24 h old)
 *   private.push_receipts(json)   receipts: ok, or an error (DeviceNotRegistered deactivates)
 *   private.fanout_live_batch     one page of a DJ's followers notified that they went live
 */

create function private.push_take(p_wanted integer) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_rate double precision := (select (s.value)::double precision from private.settings as s where s.key = 'push_rate_per_second');
  v_burst double precision := (select (s.value)::double precision from private.settings as s where s.key = 'push_burst');
  v_bucket private.push_rate;
  v_tokens double precision;
  v_granted integer;
begin
  select * into v_bucket from private.push_rate as r for update;
  v_tokens := least(v_burst, v_bucket.tokens + greatest(extract(epoch from clock_timestamp() - v_bucket.refilled_at), 0) * v_rate);
  -- A negative p_wanted gives back tokens taken but not used.
  v_granted := case when p_wanted < 0 then p_wanted else least(p_wanted, floor(v_tokens)::integer) end;
  update private.push_rate as r set tokens = v_tokens - v_granted, refilled_at = clock_timestamp();
  return v_granted;
end
$$;
comment on function private.push_take(integer) is
  'Take up to p_wanted send tokens from the project-wide bucket (push_rate_per_second, push_burst); returns how many. '
  'A negative p_wanted returns unused tokens.';

create function private.push_due() returns boolean
language sql volatile
set search_path = ''
as $$
  -- A worker that died mid-send: its messages are not re-sent (no duplicates), only marked.
  with lost as (
    update private.push_messages as m set status = 'lost', error = 'worker died while sending'
    where m.status = 'sending' and m.claimed_at < now() - interval '5 minutes'
  )
  select exists (select 1 from private.push_messages as m where m.status = 'queued' and m.not_before <= now())
$$;
comment on function private.push_due() is
  'Whether any message is due now (and, first, mark `lost` what a dead worker was sending 5+ minutes ago).';

create function private.push_claim(p_limit integer) returns setof private.push_messages
language plpgsql volatile
set search_path = ''
as $$
begin
  return query
  with due as (
    select m.device_id, m.collapse_key from private.push_messages as m
    where m.status = 'queued' and m.not_before <= now()
    order by m.not_before, m.id
    limit p_limit
    for update skip locked
  ),
  family as (  -- everything else waiting for the same device and key joins the burst
    select m.id, m.device_id, m.collapse_key from private.push_messages as m
    where m.status = 'queued' and m.not_before <= now()
      and (m.device_id, m.collapse_key) in (select d.device_id, d.collapse_key from due as d)
    for update skip locked
  ),
  groups as (
    select max(f.id) as keep, count(*)::integer as n, array_agg(f.id) as ids
    from family as f group by f.device_id, f.collapse_key
  ),
  folded as (
    update private.push_messages as m set status = 'collapsed', collapsed_into = g.keep
    from groups as g
    where m.id = any (g.ids) and m.id <> g.keep
  )
  update private.push_messages as m
  set status = 'sending', claimed_at = now(), attempts = m.attempts + 1, collapsed_count = m.collapsed_count - 1 + g.n
  from groups as g
  where m.id = g.keep
  returning m.*;
end
$$;
comment on function private.push_claim(integer) is
  'Take up to p_limit due messages to send (SKIP LOCKED: workers never share one); messages waiting for the same '
  'device and collapse key are folded into the newest (collapsed_count says how many it stands for).';

create function private.push_results(p_results jsonb) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_count integer;
begin
  update private.push_messages as m
  set status = case r.outcome when 'sent' then 'sent' when 'retry' then 'queued' else 'failed' end::private.push_status,
    ticket_id = r.ticket_id, error = r.error,
    sent_at = case when r.outcome = 'sent' then now() end,
    not_before = case when r.outcome = 'retry' then now() + make_interval(secs => coalesce(r.retry_in_s, 30)) else m.not_before end
  from jsonb_to_recordset(p_results) as r (id bigint, outcome text, ticket_id text, error text, retry_in_s double precision)
  where m.id = r.id and m.status = 'sending';
  get diagnostics v_count = row_count;
  update public.push_devices as d set active = false, deactivated_reason = 'DeviceNotRegistered'
  where d.active and d.id in (
    select m.device_id from private.push_messages as m
    join jsonb_to_recordset(p_results) as r (id bigint, error text) on r.id = m.id
    where r.error = 'DeviceNotRegistered'
  );
  return v_count;
end
$$;
comment on function private.push_results(jsonb) is
  'Record Expo''s answers: [{id, outcome: sent|retry|failed, ticket_id, error, retry_in_s}]; DeviceNotRegistered '
  'deactivates the device. Returns the messages updated.';

create function private.push_receipts_due(p_limit integer)
returns table (id bigint, ticket_id text)
language sql volatile
set search_path = ''
as $$
  -- Expo keeps receipts 24 h: older tickets without one are given up.
  with expired as (
    update private.push_messages as m set receipt_status = 'expired', receipt_checked_at = now()
    where m.status = 'sent' and m.receipt_checked_at is null and m.sent_at < now() - interval '23 hours'
  )
  select m.id, m.ticket_id from private.push_messages as m
  where m.status = 'sent' and m.receipt_checked_at is null and m.sent_at <= now() - interval '15 minutes'
    and m.sent_at >= now() - interval '23 hours'
  order by m.sent_at
  limit p_limit
$$;
comment on function private.push_receipts_due(integer) is 'Tickets due for their receipt (sent 15 min to 23 h ago).';

create function private.push_receipts(p_receipts jsonb) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_count integer;
begin
  update private.push_messages as m
  set receipt_status = case when r.status = 'ok' then 'ok' else coalesce(r.error, 'error') end, receipt_checked_at = now()
  from jsonb_to_recordset(p_receipts) as r (ticket_id text, status text, error text)
  where m.ticket_id = r.ticket_id and m.status = 'sent';
  get diagnostics v_count = row_count;
  update public.push_devices as d set active = false, deactivated_reason = 'DeviceNotRegistered'
  where d.active and d.id in (
    select m.device_id from private.push_messages as m
    join jsonb_to_recordset(p_receipts) as r (ticket_id text, error text) on r.ticket_id = m.ticket_id
    where r.error = 'DeviceNotRegistered'
  );
  return v_count;
end
$$;
comment on function private.push_receipts(jsonb) is
  'Record receipts [{ticket_id, status: ok|error, error}]; DeviceNotRegistered deactivates the device.';

-- fan-out: a DJ went live -------------------------------------------------------------------------

create function private.fanout_live_batch(p_session_id uuid, p_after uuid, p_limit integer) returns uuid
language plpgsql volatile
set search_path = ''
as $$
declare
  v_session public.dj_sessions;
  v_last uuid;
begin
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session.status is distinct from 'live' then
    return null;  -- ended (or gone) before we got here: nobody needs to hear it now
  end if;
  with page as (
    select f.follower_id from public.follows as f
    where f.followee_id = v_session.dj_id and f.follower_id > coalesce(p_after, '00000000-0000-0000-0000-000000000000')
    order by f.follower_id
    limit p_limit
  ),
  notified as (
    insert into public.notifications (user_id, kind, dedupe_key, actor_id, session_id, payload)
    select p.follower_id, 'dj_live', 'dj_live:' || v_session.id, v_session.dj_id, v_session.id,
      jsonb_build_object('title', v_session.title)
    from page as p
    where not hidden.is_banned(v_session.dj_id, p.follower_id)
    on conflict (user_id, dedupe_key) do nothing
  )
  select max(p.follower_id::text)::uuid into v_last from page as p;
  return v_last;
end
$$;
comment on function private.fanout_live_batch(uuid, uuid, integer) is
  'Notify the next p_limit followers (by id, after p_after) that the DJ is live; returns the last one, NULL when done. '
  'Idempotent: a follower already notified of this session is skipped.';

create function private.tg_dj_sessions__fanout() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if NEW.status = 'live' and (TG_OP = 'INSERT' or OLD.status is distinct from 'live') then
    perform private.enqueue_job('push:fanout_live', jsonb_build_object('session_id', NEW.id), 'push',
      'fanout:' || NEW.id);
  end if;
  return null;
end
$$;
comment on function private.tg_dj_sessions__fanout() is 'A session going live enqueues the fan-out to the DJ''s followers.';
create trigger _700_fanout after insert or update of status on public.dj_sessions
  for each row execute function private.tg_dj_sessions__fanout();

-- "your subscription needs attention" ---------------------------------------------------------------

create function private.tg_webhook_events__billing_issue() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_user uuid;
begin
  if NEW.provider = 'revenuecat' and NEW.event_type = 'BILLING_ISSUE' and NEW.livemode
    and NEW.payload -> 'event' ->> 'app_user_id' ~ '^[0-9a-f-]{36}$' then
    select p.id into v_user from public.profiles as p where p.id = (NEW.payload -> 'event' ->> 'app_user_id')::uuid;
    if v_user is not null then
      perform private.notify(v_user, 'subscription', 'subscription:' || NEW.event_id, null, null, null,
        jsonb_build_object('reason', 'billing_issue', 'entitlements', NEW.payload -> 'event' -> 'entitlement_ids'));
    end if;
  end if;
  return null;
end
$$;
comment on function private.tg_webhook_events__billing_issue() is
  'A handled RevenueCat BILLING_ISSUE notifies the subscriber (in the feed and by push).';
create trigger _700_billing_issue after update of handled_at on private.webhook_events
  for each row when (old.handled_at is null and new.handled_at is not null)
  execute function private.tg_webhook_events__billing_issue();
