/*
 * auth-sms-guard: the audit trail and velocity counters of the send-SMS hook (docs/auth-sms.md).
 *
 * Supabase Auth hands every OTP text to the service (POST /hooks/send-sms). Before anything
 * reaches the SMS provider the service checks the number (format, region, allow/deny lists,
 * premium rate), then private.sms_claim counts what was recently sent to the number, to its
 * range (the number minus its last four digits: SMS pumping walks through ranges) and to
 * everyone, and records the attempt, all in one transaction under advisory locks, so concurrent
 * requests can never overshoot a limit. The provider is called after that transaction commits
 * (no lock is held across an HTTP call); private.sms_settle then records what it answered.
 *
 * Every attempt is a row: sent, refused (with the rule) or failed (with the provider's verdict).
 * The code itself is never stored. Rows live 90 days (private.prune_sms_sends); deleting an
 * account deletes its rows by user id and by phone number.
 */

-- tables ---------------------------------------------------------------------------------------

/*
 * No foreign key to auth.users on purpose: Supabase Auth calls the hook inside the transaction
 * that creates a new user, so the user row is not committed yet, and a foreign key check would
 * wait on that transaction, which waits on the hook.
 */
create table private.sms_sends (
  id bigint generated always as identity primary key,
  created_at timestamptz not null default now(),
  webhook_id text not null unique check (length(webhook_id) between 1 and 255),
  user_id uuid,
  phone text not null check (length(phone) between 1 and 32),
  calling_code integer check (calling_code between 1 and 999),
  prefix text check (prefix ~ '^\+[0-9]{3,11}$'),
  outcome text not null check (outcome in ('pending', 'sent', 'refused', 'failed')),
  reason text check (reason ~ '^[A-Z0-9]{5}$'),
  provider_message_id text check (length(provider_message_id) <= 64),
  check ((outcome in ('pending', 'sent')) = (reason is null))
);
comment on table private.sms_sends is
  'Every OTP text the send-SMS hook was asked for: sent, refused or failed. Never holds the code. Kept 90 days.';
comment on column private.sms_sends.id is 'Arrival order.';
comment on column private.sms_sends.created_at is 'When the hook received the request.';
comment on column private.sms_sends.webhook_id is
  'The request''s webhook-id header (unique: a replayed request is refused).';
comment on column private.sms_sends.user_id is 'The Supabase Auth user the code is for (no foreign key: see the migration).';
comment on column private.sms_sends.phone is
  'Destination in E.164 (+ and digits); the raw value, cut to 32 characters, when it was not a phone number.';
comment on column private.sms_sends.calling_code is 'Country calling code of the number (NULL when it did not parse).';
comment on column private.sms_sends.prefix is
  'The number minus its last four digits: the range per-prefix limits count (NULL when it did not parse).';
comment on column private.sms_sends.outcome is
  'pending (counted, provider not answered yet), sent, refused (by a rule, nothing sent) or failed (the provider refused or failed).';
comment on column private.sms_sends.reason is
  'Stable code of the rule that refused it or of the provider failure (docs/auth-sms.md); NULL when pending or sent.';
comment on column private.sms_sends.provider_message_id is 'The provider''s id of the message (Twilio Message SID), when sent.';
alter table private.sms_sends enable row level security;
-- NOTE: no policies and no grants: only the service (connected as postgres) reads and writes it.

-- What the velocity counts read: attempts that cost (or may cost) money, by number, range, time.
create index sms_sends_phone_idx on private.sms_sends (phone, outcome, created_at);
create index sms_sends_prefix_counted_idx on private.sms_sends (prefix, created_at)
  where outcome in ('pending', 'sent');
create index sms_sends_counted_idx on private.sms_sends (created_at)
  where outcome in ('pending', 'sent');
-- The once-an-hour global cap alert, and the runbook's "what was refused, and why".
create index sms_sends_reason_idx on private.sms_sends (reason, created_at) where reason is not null;
-- Account deletion and data export, by user.
create index sms_sends_user_idx on private.sms_sends (user_id);
-- Retention: rows arrive in time order, so a block range index finds old ones for almost nothing.
create index sms_sends_created_brin on private.sms_sends using brin (created_at);

-- functions ------------------------------------------------------------------------------------

create function private.sms_claim(
  p_webhook_id text,
  p_user_id uuid,
  p_phone text,
  p_calling_code integer,
  p_prefix text,
  p_refusal text,
  p_number_10min integer,
  p_number_24h integer,
  p_prefix_hour integer,
  p_global_hour integer
) returns table (send_id bigint, refusal text, alert boolean)
language plpgsql volatile
set search_path = ''
as $$
declare
  v_reason text := p_refusal;
  v_alert boolean := false;
  v_count bigint;
  v_id bigint;
begin
  if v_reason is null then
    -- One claim per scope at a time, locks always taken in this order (no deadlock): each count
    -- below sees every earlier claim, and this one is recorded before the locks go.
    perform pg_advisory_xact_lock(hashtextextended('sms:number:' || p_phone, 0));
    perform pg_advisory_xact_lock(hashtextextended('sms:prefix:' || p_prefix, 0));
    if p_global_hour is not null then
      perform pg_advisory_xact_lock(hashtextextended('sms:global', 0));
    end if;
    select count(*) into v_count from private.sms_sends as s
    where s.phone = p_phone and s.outcome in ('pending', 'sent') and s.created_at > now() - interval '10 minutes';
    if v_count >= p_number_10min then
      v_reason := 'SMSNB';
    end if;
    if v_reason is null then
      select count(*) into v_count from private.sms_sends as s
      where s.phone = p_phone and s.outcome in ('pending', 'sent') and s.created_at > now() - interval '24 hours';
      if v_count >= p_number_24h then
        v_reason := 'SMSND';
      end if;
    end if;
    if v_reason is null then
      select count(*) into v_count from private.sms_sends as s
      where s.prefix = p_prefix and s.outcome in ('pending', 'sent') and s.created_at > now() - interval '1 hour';
      if v_count >= p_prefix_hour then
        v_reason := 'SMSPX';
      end if;
    end if;
    if v_reason is null and p_global_hour is not null then
      select count(*) into v_count from private.sms_sends as s
      where s.outcome in ('pending', 'sent') and s.created_at > now() - interval '1 hour';
      if v_count >= p_global_hour then
        v_reason := 'SMSGC';
        -- Alert once an hour: only the first refusal since the last alert-worthy one.
        v_alert := not exists (
          select 1 from private.sms_sends as s where s.reason = 'SMSGC' and s.created_at > now() - interval '1 hour'
        );
      end if;
    end if;
  end if;
  insert into private.sms_sends (webhook_id, user_id, phone, calling_code, prefix, outcome, reason)
  values (
    p_webhook_id, p_user_id, p_phone, p_calling_code, p_prefix,
    case when v_reason is null then 'pending' else 'refused' end, v_reason
  )
  on conflict (webhook_id) do nothing
  returning id into v_id;
  if v_id is null then
    return;  -- a replayed webhook-id: no row, nothing recorded
  end if;
  return query select v_id, v_reason, v_alert;
end
$$;
comment on function private.sms_claim(text, uuid, text, integer, text, text, integer, integer, integer, integer) is
  'Record one send-SMS request and decide it: with p_refusal (a number rule already refused it) records the refusal; '
  'otherwise, under per-number, per-prefix and global advisory locks, refuses it past a velocity limit (SMSNB, SMSND, '
  'SMSPX, SMSGC; p_global_hour NULL: no global cap) or records it pending. Returns the row id, the refusal (NULL: '
  'send it) and whether this is the first global-cap refusal in an hour (alert); no row for a replayed webhook id.';

create function private.sms_settle(p_send_id bigint, p_reason text, p_provider_message_id text) returns void
language sql volatile
set search_path = ''
as $$
  update private.sms_sends as s
  set outcome = case when p_reason is null then 'sent' else 'failed' end,
    reason = p_reason,
    provider_message_id = p_provider_message_id
  where s.id = p_send_id and s.outcome = 'pending'
$$;
comment on function private.sms_settle(bigint, text, text) is
  'Record the provider''s answer for a pending send: sent (with the provider''s message id) or failed (p_reason).';

create function private.prune_sms_sends() returns integer
language sql volatile
set search_path = ''
as $$
  with gone as (
    delete from private.sms_sends as s where s.created_at < now() - interval '90 days'
    returning 1
  )
  select count(*)::integer from gone
$$;
comment on function private.prune_sms_sends() is 'Scheduled daily: delete send-SMS audit rows older than 90 days; returns how many.';
-- NOTE: no grants on these three: only the service (as postgres) and pg_cron call them.

-- schedule -------------------------------------------------------------------------------------

/*
 * Daily retention where pg_cron is installed (hosted Supabase; the realtime schedule installs
 * it). Elsewhere (the local embedded PostgreSQL) the service runs it with its periodic tasks.
 */
do $$
begin
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    perform cron.schedule('whatssound-sms-prune', '17 4 * * *', 'select private.prune_sms_sends()');
  end if;
end
$$;
