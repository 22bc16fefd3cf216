/*
 * moderation-log-and-limits: the append-only, hash-chained moderation log and a rate limiter.
 *
 * Every moderation action (bans, timeouts, deletions, appointments, blocked terms, reports)
 * is logged by the trigger or function that performs it, in the same transaction, with actor,
 * target, reason and before/after state. Entries form one hash chain per DJ (platform-wide
 * actions use the nil-uuid chain): each entry's hash covers the previous entry's hash and its
 * own content, so editing or deleting any entry is detectable by verify_moderation_log().
 * The table refuses UPDATE, DELETE and TRUNCATE outright.
 *
 * The rate limiter is a token bucket per (user, purpose): one row locked per take, so it holds
 * exactly under concurrency; a rejected attempt rolls back and costs nothing.
 */

create type public.moderation_action as enum (
  'ban', 'timeout', 'unban', 'delete_message', 'clear_messages', 'approve_message', 'appoint_moderator',
  'remove_moderator', 'set_cohost', 'add_blocked_term', 'remove_blocked_term', 'resolve_report'
);
comment on type public.moderation_action is 'What a moderation-log entry records.';

create table public.moderation_log (
  id bigint generated always as identity primary key,
  chain_id uuid not null,
  seq bigint not null check (seq > 0),
  dj_id uuid,
  session_id uuid,
  actor_id uuid,
  action public.moderation_action not null,
  target_user_id uuid,
  target_message_id uuid,
  reason text not null default '',
  before jsonb,
  after jsonb,
  created_at timestamptz not null default now(),
  prev_hash bytea,
  hash bytea not null,
  unique (chain_id, seq)
);
comment on table public.moderation_log is
  'Append-only, hash-chained record of every moderation action. DJs and their moderators read their '
  'channel''s entries; users read the entries about them; staff read all. No foreign keys: entries outlive accounts.';
comment on column public.moderation_log.id is 'Global insertion order.';
comment on column public.moderation_log.chain_id is 'Hash chain: the DJ''s id, or the nil uuid for platform actions.';
comment on column public.moderation_log.seq is 'Position in the chain, 1, 2, 3... without gaps.';
comment on column public.moderation_log.dj_id is 'The DJ whose channel this concerns (NULL: platform-wide).';
comment on column public.moderation_log.session_id is 'The session it happened in, if any.';
comment on column public.moderation_log.actor_id is 'Who acted (NULL: the system or the service).';
comment on column public.moderation_log.action is 'What was done.';
comment on column public.moderation_log.target_user_id is 'Who it was done to.';
comment on column public.moderation_log.target_message_id is 'The chat message concerned.';
comment on column public.moderation_log.reason is 'The reason given.';
comment on column public.moderation_log.before is 'State before (e.g. the message as it was).';
comment on column public.moderation_log.after is 'State after.';
comment on column public.moderation_log.created_at is 'When.';
comment on column public.moderation_log.prev_hash is 'hash of the previous entry in the chain (NULL for the first).';
comment on column public.moderation_log.hash is 'SHA-256 over prev_hash and this entry''s content.';
create index moderation_log_target_user_idx on public.moderation_log (target_user_id, created_at desc);
create index moderation_log_dj_idx on public.moderation_log (dj_id, created_at desc);
alter table public.moderation_log enable row level security;

create table private.rate_buckets (
  user_id uuid not null references auth.users (id) on delete cascade,
  bucket text not null,
  tokens double precision not null,
  refilled_at timestamptz not null,
  primary key (user_id, bucket)
);
comment on table private.rate_buckets is 'Token buckets per user and purpose (chat, reports, ...).';
comment on column private.rate_buckets.user_id is 'Whose bucket.';
comment on column private.rate_buckets.bucket is 'Purpose, e.g. chat.';
comment on column private.rate_buckets.tokens is 'Tokens left at refilled_at.';
comment on column private.rate_buckets.refilled_at is 'When tokens was last computed.';
alter table private.rate_buckets enable row level security;
-- NOTE: no policies and no grants: only hidden.take_token() touches it.

-- helpers --------------------------------------------------------------------------------------

create function hidden.can_moderate_dj(p_dj_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select p_dj_id = auth.uid()
    or exists (select 1 from public.dj_moderators as m where m.dj_id = p_dj_id and m.user_id = auth.uid())
    or exists (select 1 from private.staff as s where s.user_id = auth.uid())
$$;
comment on function hidden.can_moderate_dj(uuid) is 'Whether the caller moderates this DJ''s channel (the DJ, a moderator, staff).';
grant execute on function hidden.can_moderate_dj(uuid) to authenticated, service_role;

create function hidden.moderation_hash(p_entry public.moderation_log) returns bytea
language sql immutable
set search_path = ''
as $$
  select sha256(convert_to(
    coalesce(encode(p_entry.prev_hash, 'hex'), '') || '|' || jsonb_build_object(
      'chain', p_entry.chain_id, 'seq', p_entry.seq, 'dj', p_entry.dj_id, 'session', p_entry.session_id,
      'actor', p_entry.actor_id, 'action', p_entry.action, 'target_user', p_entry.target_user_id,
      'target_message', p_entry.target_message_id, 'reason', p_entry.reason, 'before', p_entry.before,
      'after', p_entry.after, 'at_us', (extract(epoch from p_entry.created_at) * 1000000)::bigint
    )::text, 'UTF8'))
$$;
comment on function hidden.moderation_hash(public.moderation_log) is
  'The hash an entry must carry: SHA-256 of the previous hash and the entry''s canonical JSON (time in microseconds).';
grant execute on function hidden.moderation_hash(public.moderation_log) to authenticated, service_role;

create function private.log_moderation(
  p_dj_id uuid, p_session_id uuid, p_action public.moderation_action, p_target_user_id uuid,
  p_target_message_id uuid, p_reason text, p_before jsonb, p_after jsonb
) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_entry public.moderation_log;
  v_last public.moderation_log;
begin
  v_entry.chain_id := coalesce(p_dj_id, '00000000-0000-0000-0000-000000000000');
  -- One writer per chain at a time, so seq has no gaps and each entry sees its predecessor.
  perform pg_advisory_xact_lock(hashtextextended('moderation_log:' || v_entry.chain_id, 0));
  select * into v_last from public.moderation_log as l
  where l.chain_id = v_entry.chain_id order by l.seq desc limit 1;
  v_entry.seq := coalesce(v_last.seq, 0) + 1;
  v_entry.prev_hash := v_last.hash;
  v_entry.dj_id := p_dj_id;
  v_entry.session_id := p_session_id;
  v_entry.actor_id := auth.uid();
  v_entry.action := p_action;
  v_entry.target_user_id := p_target_user_id;
  v_entry.target_message_id := p_target_message_id;
  v_entry.reason := coalesce(p_reason, '');
  v_entry.before := p_before;
  v_entry.after := p_after;
  v_entry.created_at := date_trunc('microseconds', clock_timestamp());
  v_entry.hash := hidden.moderation_hash(v_entry);
  insert into public.moderation_log (chain_id, seq, dj_id, session_id, actor_id, action, target_user_id,
    target_message_id, reason, before, after, created_at, prev_hash, hash)
  values (v_entry.chain_id, v_entry.seq, v_entry.dj_id, v_entry.session_id, v_entry.actor_id, v_entry.action,
    v_entry.target_user_id, v_entry.target_message_id, v_entry.reason, v_entry.before, v_entry.after,
    v_entry.created_at, v_entry.prev_hash, v_entry.hash);
end
$$;
comment on function private.log_moderation(uuid, uuid, public.moderation_action, uuid, uuid, text, jsonb, jsonb) is
  'Append an entry to the DJ''s (or the platform''s) moderation chain, in the caller''s transaction.';

create function private.tg_moderation_log__append_only() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'The moderation log is append-only.'
    using errcode = 'NOEDT', hint = 'Record a correcting action instead of editing history.';
end
$$;
comment on function private.tg_moderation_log__append_only() is 'Refuses any UPDATE, DELETE or TRUNCATE of the moderation log.';
create trigger _100_append_only before update or delete on public.moderation_log
  for each row execute function private.tg_moderation_log__append_only();
create trigger _100_no_truncate before truncate on public.moderation_log
  for each statement execute function private.tg_moderation_log__append_only();

create function hidden.take_token(
  p_user_id uuid, p_bucket text, p_capacity integer, p_per_second double precision
) returns double precision
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_tokens double precision;
begin
  insert into private.rate_buckets as b (user_id, bucket, tokens, refilled_at)
  values (p_user_id, p_bucket, p_capacity - 1, now())
  on conflict (user_id, bucket) do update
    set tokens = least(p_capacity::double precision,
          b.tokens + greatest(extract(epoch from now() - b.refilled_at), 0) * p_per_second) - 1,
      refilled_at = greatest(b.refilled_at, now())
  returning b.tokens into v_tokens;
  -- Negative: over the limit. The caller raises, which rolls the take back.
  return case when v_tokens >= 0 then 0 else ceil(-v_tokens / p_per_second) end;
end
$$;
comment on function hidden.take_token(uuid, text, integer, double precision) is
  'Take one token from the user''s bucket (capacity, refill per second). Returns 0 if granted, else the '
  'seconds to wait; the caller must then raise (rolling the take back).';
grant execute on function hidden.take_token(uuid, text, integer, double precision) to authenticated, service_role;

-- policies -------------------------------------------------------------------------------------

create policy "Moderation log is visible to the channel's team, the target and staff" on public.moderation_log
  for select to authenticated using (
    dj_id = (select auth.uid())
    or dj_id = any(array(select hidden.my_moderated_dj_ids()))
    or target_user_id = (select auth.uid())
    or (select hidden.is_staff())
  );
grant select on public.moderation_log to authenticated;
-- NOTE: no write grants: entries are appended by private.log_moderation() only.

-- RPCs -----------------------------------------------------------------------------------------

create type public.chain_verification as (ok boolean, entries bigint, first_bad_seq bigint);
comment on type public.chain_verification is 'Result of verify_moderation_log: ok, how many entries, the first broken one.';

create function public.verify_moderation_log(p_dj_id uuid default null) returns public.chain_verification
language plpgsql stable
set search_path = ''
as $$
declare
  v_chain uuid := coalesce(p_dj_id, '00000000-0000-0000-0000-000000000000');
  v_entry public.moderation_log;
  v_prev public.moderation_log;
  v_count bigint := 0;
begin
  if not (hidden.is_staff() or (p_dj_id is not null and hidden.can_moderate_dj(p_dj_id))) then
    raise exception 'Only the DJ, their moderators and staff can verify this log.'
      using errcode = '42501', hint = 'Pass your own DJ id.';
  end if;
  for v_entry in
    select * from public.moderation_log as l where l.chain_id = v_chain order by l.seq
  loop
    v_count := v_count + 1;
    if v_entry.seq <> v_count or v_entry.prev_hash is distinct from v_prev.hash
      or v_entry.hash <> hidden.moderation_hash(v_entry) then
      return (false, v_count, v_count)::public.chain_verification;
    end if;
    v_prev := v_entry;
  end loop;
  return (true, v_count, null)::public.chain_verification;
end
$$;
comment on function public.verify_moderation_log(uuid) is
  E'Recompute a DJ''s moderation-log hash chain (platform chain when p_dj_id is omitted; staff only). '
  'Returns {ok, entries, first_bad_seq}: ok=false names the first entry that was altered, removed or inserted.\n'
  'Errors: 42501.\n'
  'Example: const { data } = await supabase.rpc(''verify_moderation_log'', { p_dj_id: myId })';
grant execute on function public.verify_moderation_log(uuid) to authenticated;
