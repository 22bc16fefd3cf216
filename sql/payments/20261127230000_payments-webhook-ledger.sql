/*
 * payments-webhook-ledger: every verified webhook delivery from Stripe (platform and Connect
 * endpoints) and RevenueCat, stored once, before anything is done with it.
 *
 * The service verifies a delivery on its raw body, then calls private.record_webhook_event in
 * one short transaction and answers 2xx; only then is the event processed (a worker claims
 * unhandled rows with SKIP LOCKED and sets handled_at when its effects have committed). Unique
 * on (provider, event_id): a duplicate delivery, even a concurrent one, stores nothing new and
 * gets the same 2xx. Events of types we do not handle are stored and acknowledged like any
 * other (providers keep retrying anything else for days).
 *
 * Providers do not deliver in order: provider_created_at (Stripe's event.created, RevenueCat's
 * event_timestamp_ms) is what processing compares, never ids or arrival order.
 */

create table private.webhook_events (
  id bigint generated always as identity primary key,
  provider text not null check (provider in ('stripe', 'stripe_connect', 'revenuecat')),
  event_id text not null check (char_length(event_id) between 1 and 255),
  event_type text not null check (char_length(event_type) between 1 and 255),
  livemode boolean not null,
  account text,
  provider_created_at timestamptz not null,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  deliveries integer not null default 1,
  last_delivery_at timestamptz not null default now(),
  handled_at timestamptz,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  unique (provider, event_id)
);
comment on table private.webhook_events is
  'Event ledger: every verified webhook delivery, once per (provider, event id), processed asynchronously.';
comment on column private.webhook_events.id is 'Arrival order (not the providers'' order).';
comment on column private.webhook_events.provider is 'stripe (platform endpoint), stripe_connect (Connect endpoint) or revenuecat.';
comment on column private.webhook_events.event_id is 'The provider''s event id (evt_..., RevenueCat event.id).';
comment on column private.webhook_events.event_type is 'The provider''s event type (payment_intent.succeeded, RENEWAL, ...).';
comment on column private.webhook_events.livemode is 'Stripe livemode; RevenueCat environment = PRODUCTION. Test events never grant anything live.';
comment on column private.webhook_events.account is 'Stripe Connect: the connected account (acct_...) the event is about.';
comment on column private.webhook_events.provider_created_at is
  'When the provider created the event: what processing orders and guards by.';
comment on column private.webhook_events.payload is 'The whole event as verified (JSON).';
comment on column private.webhook_events.received_at is 'First delivery.';
comment on column private.webhook_events.deliveries is 'How many times it was delivered (duplicates counted, not stored).';
comment on column private.webhook_events.last_delivery_at is 'Latest delivery.';
comment on column private.webhook_events.handled_at is 'When processing finished (NULL: still to do).';
comment on column private.webhook_events.attempts is 'Processing attempts so far.';
comment on column private.webhook_events.next_attempt_at is 'Not before this (retries back off; an event ahead of its tip waits).';
comment on column private.webhook_events.last_error is 'Why the last attempt did not finish.';
create index webhook_events_todo_idx on private.webhook_events (next_attempt_at) where handled_at is null;
alter table private.webhook_events enable row level security;
-- NOTE: no policies and no grants: only the service (as postgres) reads and writes it.

create function private.record_webhook_event(
  p_provider text, p_event_id text, p_event_type text, p_livemode boolean, p_account text,
  p_created_at timestamptz, p_payload jsonb
) returns boolean
language sql volatile
set search_path = ''
as $$
  -- One statement: concurrent duplicates serialise on the unique index, never both insert.
  insert into private.webhook_events as e
    (provider, event_id, event_type, livemode, account, provider_created_at, payload)
  values (p_provider, p_event_id, p_event_type, p_livemode, p_account, p_created_at, p_payload)
  on conflict (provider, event_id) do update
  set deliveries = e.deliveries + 1, last_delivery_at = now()
  returning e.deliveries = 1
$$;
comment on function private.record_webhook_event(text, text, text, boolean, text, timestamptz, jsonb) is
  'Store a verified webhook event; true if it is new, false for a duplicate delivery (counted, nothing else changes).';
