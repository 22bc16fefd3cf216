/*
 * push-survive-outages-and-kills: pushes outlive an Expo outage and a killed worker (issue 18).
 *
 * Outage. Retries go out at each message's own due time (the minute's drain stays through its
 * minute and looks when the next falls due, whatssound_svc/push/sender.py, which reads it from
 * push_due_in); attempts are sized for an outage of over an hour. A
 * push that is only worth something now (setting push_drop_stale_kinds: going live, a request
 * playing) is dropped once older than its ttl: status `expired`, counted in /metrics, never sent
 * late. private.push_requeue lets an operator send failed pushes again (whatssound push requeue).
 *
 * Killed worker. The worker marks the messages of a request `posted_at` (committed) just before
 * the request leaves; only the messages it could mark are sent. A message its worker died with:
 *   - never posted (claimed, the request never left): queued again after 1 minute, attempt
 *     given back. It cannot be at Expo, so re-sending cannot double it.
 *   - posted, no answer recorded: `unknown` after 5 minutes (was `lost`). The request reached
 *     Expo, which most likely accepted it; Expo has no idempotency key, so it is NOT re-sent (a
 *     resend would double it). A late answer still records the truth (push_results).
 * Renaming `lost` to `unknown` relabels old rows truthfully: their outcome was never known.
 *
 * Fan-out. private.fanout_live_page replaces fanout_live_batch: the cursor (private.push_fanouts)
 * is committed with each page, in the page's own transaction, so a re-run resumes after the last
 * committed page and the per-(user, event) uniqueness still makes each follower's push once.
 *
 * Restated from their newest bodies: push_claim (20261128020200_push-sending), push_results
 * (20261128060000_push-deactivate-once). push_due is replaced by push_due_in (it now says when
 * the next message is due, so the worker can wait for it). Workers of the previous release call
 * push_due and fanout_live_batch: deploy the service with this migration.
 */

-- types ------------------------------------------------------------------------------------------

alter type private.push_status rename value 'lost' to 'unknown';
alter type private.push_status add value 'expired';
comment on type private.push_status is
  'queued -> sending -> sent | failed (or queued again to retry); suppressed (quiet hours), collapsed (folded into '
  'another), unknown (its worker died after the request left: Expo''s answer never recorded, not re-sent), '
  'expired (older than its useful life, dropped unsent).';

-- tables -----------------------------------------------------------------------------------------

insert into private.settings (key, value, description) values
  ('push_drop_stale_kinds', '["dj_live", "request_playing"]',
    'Push kinds dropped unsent (status expired) once older than their ttl: they are only worth something now.');

alter table private.push_messages add column posted_at timestamptz;
comment on column private.push_messages.posted_at is
  'When the request carrying its current attempt left for Expo (NULL: claimed, not sent yet).';
-- what /metrics reads: messages given up in the last minutes
create index push_messages_claimed_idx on private.push_messages (claimed_at);

create table private.push_fanouts (
  session_id uuid primary key references public.dj_sessions (id) on delete cascade,
  after_follower_id uuid,
  pages integer not null default 0,
  notified integer not null default 0,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
comment on table private.push_fanouts is
  'The go-live fan-out''s cursor, one per session: advanced in the same transaction as the page it notified.';
comment on column private.push_fanouts.session_id is 'The session that went live.';
comment on column private.push_fanouts.after_follower_id is 'The last follower paged (follower ids ascending).';
comment on column private.push_fanouts.pages is 'Pages of followers done.';
comment on column private.push_fanouts.notified is 'Followers notified (banned ones and earlier duplicates not counted).';
comment on column private.push_fanouts.started_at is 'When the first page ran.';
comment on column private.push_fanouts.finished_at is 'When the last page ran (NULL: not done).';
alter table private.push_fanouts enable row level security;
-- NOTE: no policies and no grants: the push worker and operators only.

-- helper functions -------------------------------------------------------------------------------

drop function private.push_due();

create function private.push_due_in() returns double precision
language plpgsql volatile
set search_path = ''
as $$
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
comment on function private.push_due_in() is
  'Seconds until the earliest queued message is due (<= 0: due now; NULL: none queued). First, a dead worker''s '
  'messages: claimed 1+ minute ago and never posted are queued again; posted 5+ minutes ago without an answer are '
  'marked unknown (not re-sent).';

create or replace function private.push_claim(p_limit integer) returns setof private.push_messages
language plpgsql volatile
set search_path = ''
as $$
declare
  v_stale text[] := array(
    select jsonb_array_elements_text(s.value) from private.settings as s where s.key = 'push_drop_stale_kinds'
  );
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
  ),
  taken as (  -- the newest of a burst is sent, unless it is already past its useful life
    update private.push_messages as m
    set status = case when x.stale then 'expired' else 'sending' end::private.push_status,
      claimed_at = now(), posted_at = null,
      attempts = m.attempts + case when x.stale then 0 else 1 end,
      error = case when x.stale then 'older than its useful life' else m.error end,
      collapsed_count = m.collapsed_count - 1 + g.n
    from groups as g
    cross join lateral (
      select m2.kind::text = any (v_stale) and m2.created_at + make_interval(secs => m2.ttl_seconds) < now() as stale
      from private.push_messages as m2 where m2.id = g.keep
    ) as x
    where m.id = g.keep
    returning m.*
  )
  select t.* from taken as t where t.status = 'sending';
end
$$;
comment on function private.push_claim(integer) is
  'Take up to p_limit due messages to send (SKIP LOCKED: workers never share one); messages waiting for the same '
  'device and collapse key are folded into the newest (collapsed_count says how many it stands for). A message of '
  'a kind in push_drop_stale_kinds older than its ttl is marked expired instead, and not returned.';

create function private.push_posting(p_claims jsonb) returns setof bigint
language sql volatile
set search_path = ''
as $$
  update private.push_messages as m set posted_at = now()
  from jsonb_to_recordset(p_claims) as c (id bigint, attempts integer)
  where m.id = c.id and m.attempts = c.attempts and m.status = 'sending' and m.posted_at is null
  returning m.id
$$;
comment on function private.push_posting(jsonb) is
  'Just before a request leaves for Expo: mark its messages [{id, attempts}] posted, if still claimed by this '
  'attempt; returns the ids marked (only those may be sent).';

create or replace function private.push_results(p_results jsonb) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_count integer;
begin
  -- Changed: an `unknown` message (its answer came after the sweep gave up waiting) is recorded too.
  update private.push_messages as m
  set status = case r.outcome when 'sent' then 'sent' when 'retry' then 'queued' else 'failed' end::private.push_status,
    ticket_id = r.ticket_id, error = r.error,
    sent_at = case when r.outcome = 'sent' then now() end,
    not_before = case when r.outcome = 'retry' then now() + make_interval(secs => coalesce(r.retry_in_s, 30)) else m.not_before end
  from jsonb_to_recordset(p_results) as r (id bigint, outcome text, ticket_id text, error text, retry_in_s double precision)
  where m.id = r.id and m.status in ('sending', 'unknown');
  get diagnostics v_count = row_count;
  perform private.push_deactivate(array(
    select m.device_id from private.push_messages as m
    join jsonb_to_recordset(p_results) as r (id bigint, error text) on r.id = m.id
    where r.error = 'DeviceNotRegistered'
  ));
  return v_count;
end
$$;
comment on function private.push_results(jsonb) is
  'Record Expo''s answers: [{id, outcome: sent|retry|failed, ticket_id, error, retry_in_s}] for messages sending '
  '(or unknown: the answer came late); DeviceNotRegistered deactivates the device. Returns the messages updated.';

create function private.push_requeue(p_since timestamptz, p_error text default null, p_dry_run boolean default false)
returns integer
language plpgsql volatile
set search_path = ''
as $$
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
comment on function private.push_requeue(timestamptz, text, boolean) is
  'Operators: failed pushes created since p_since (with error p_error, if given) to active devices are queued '
  'again with fresh attempts (push_drop_stale_kinds still applies). Returns how many (p_dry_run: only counts).';

-- fan-out: a DJ went live -------------------------------------------------------------------------

drop function private.fanout_live_batch(uuid, uuid, integer);

create function private.fanout_live_page(p_session_id uuid, p_limit integer) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_session public.dj_sessions;
  v_after uuid;
  v_last uuid;
  v_paged integer;
  v_notified integer;
begin
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session.status is distinct from 'live' then
    return false;  -- ended (or gone) before we got here: nobody needs to hear it now
  end if;
  insert into private.push_fanouts (session_id) values (p_session_id) on conflict (session_id) do nothing;
  -- The row lock makes concurrent runs of one fan-out take turns, each after the other's committed page.
  select f.after_follower_id into v_after from private.push_fanouts as f
  where f.session_id = p_session_id and f.finished_at is null
  for update;
  if not found then
    return false;
  end if;
  with page as (
    select f.follower_id from public.follows as f
    where f.followee_id = v_session.dj_id and f.follower_id > coalesce(v_after, '00000000-0000-0000-0000-000000000000')
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
    returning 1
  )
  select max(p.follower_id::text)::uuid, count(*)::integer, (select count(*)::integer from notified)
  into v_last, v_paged, v_notified
  from page as p;
  update private.push_fanouts as f
  set after_follower_id = coalesce(v_last, f.after_follower_id), pages = f.pages + sign(v_paged)::integer,
    notified = f.notified + v_notified, finished_at = case when v_paged < p_limit then now() end
  where f.session_id = p_session_id;
  return v_paged = p_limit;
end
$$;
comment on function private.fanout_live_page(uuid, integer) is
  'Notify the next p_limit followers of the live DJ after the fan-out''s committed cursor, and advance it in the '
  'same transaction; returns whether more may follow. Resumable and idempotent: a re-run continues where the last '
  'committed page ended, and a follower already notified of this session is skipped.';
