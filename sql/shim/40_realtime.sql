/*
 * Schema `realtime`: the Broadcast-from-Database surface of Supabase Realtime.
 *
 * realtime.messages is partitioned by day on inserted_at as on Supabase, where the Realtime
 * server creates the daily partitions (yesterday .. today+3) and drops those older than 72 h,
 * and there is no DEFAULT partition: a row outside them is lost with a WARNING inside
 * realtime.send. No Realtime server runs locally, so supabase_shim.realtime_maintain() does its
 * job at bootstrap (every `make dev`, every test database), creating partitions a week ahead
 * rather than three days (a local stack may run for days between starts); beyond them a
 * broadcast is lost exactly as on Supabase, and /metrics counts it
 * (whatssound_realtime_undelivered, docs/runbook.md).
 *
 * Owned by supabase_realtime_admin as on Supabase; postgres may manage its policies, as hosted
 * supautils allows, and nothing else (95_supautils.sql).
 */
create schema if not exists realtime authorization supabase_admin;
grant usage on schema realtime to anon, authenticated, service_role;
grant usage on schema realtime to postgres, supabase_realtime_admin with grant option;
grant all on schema realtime to supabase_realtime_admin;
revoke create on schema realtime from postgres;

create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp without time zone not null default now(),
  inserted_at timestamp without time zone not null default now(),
  id uuid not null default gen_random_uuid(),
  binary_payload bytea,
  constraint messages_pkey primary key (id, inserted_at),
  constraint messages_payload_exclusive check (payload is null or binary_payload is null)
) partition by range (inserted_at);
create index if not exists messages_inserted_at_topic_index
  on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;
-- Earlier shims kept a DEFAULT partition, which hid what Supabase loses.
drop table if exists realtime.messages_default;
alter table realtime.messages owner to supabase_realtime_admin;
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to postgres, anon, authenticated, service_role;
grant all on realtime.messages to dashboard_user, supabase_realtime_admin;
comment on table realtime.messages is
  'Realtime: Broadcast from Database outbox, read by the Realtime server through logical replication.';

create or replace function realtime.topic() returns text
language sql stable
as $$ select nullif(current_setting('realtime.topic', true), '')::text $$;

/*
 * realtime.send: runs as the caller (so the caller's INSERT policy applies), adds an `id` to
 * the payload unless it has one, records the topic for the transaction, and inserts a private
 * or public broadcast. Any failure (policy denial, missing partition, non-object payload)
 * becomes a WARNING and the caller goes on: the message is silently not sent, as on Supabase.
 */
create or replace function realtime.send(
  payload jsonb, event text, topic text, private boolean default true
) returns void
language plpgsql volatile
as $$
declare
  v_id uuid := gen_random_uuid();
  v_payload jsonb := payload;
begin
  begin
    if v_payload is not null and not (v_payload ? 'id') then
      v_payload := jsonb_set(v_payload, '{id}', to_jsonb(v_id));
    end if;
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (v_id, v_payload, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end
$$;

create or replace function realtime.send_binary(
  payload bytea, event text, topic text, private boolean default true
) returns void
language plpgsql volatile
as $$
declare
  v_id uuid := gen_random_uuid();
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, binary_payload, event, topic, private, extension)
    values (v_id, payload, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end
$$;

/*
 * realtime.broadcast_changes: the row-change payload of the documented trigger pattern,
 * {old_record, record, operation, table, schema}, sent privately through realtime.send.
 */
create or replace function realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text default 'ROW'
) returns void
language plpgsql volatile
as $$
declare
  v_row jsonb;
begin
  begin
    if level = 'STATEMENT' then
      raise exception 'function can only be triggered for each row, not for each statement';
    end if;
    if operation not in ('INSERT', 'UPDATE', 'DELETE') then
      raise exception 'Unexpected operation type: %', operation;
    end if;
    v_row := jsonb_build_object(
      'old_record', case when operation in ('UPDATE', 'DELETE') then to_jsonb(old) end,
      'record', case when operation in ('INSERT', 'UPDATE') then to_jsonb(new) end,
      'operation', operation,
      'table', table_name,
      'schema', table_schema
    );
    perform realtime.send(v_row, event_name, topic_name);
  exception when others then
    raise exception 'Failed to process the row: %', sqlerrm;
  end;
end
$$;

alter function realtime.topic() owner to supabase_realtime_admin;
alter function realtime.send(jsonb, text, text, boolean) owner to supabase_realtime_admin;
alter function realtime.send_binary(bytea, text, text, boolean) owner to supabase_realtime_admin;
alter function realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  owner to supabase_realtime_admin;
grant execute on all functions in schema realtime
  to postgres, anon, authenticated, service_role, dashboard_user;

-- The publication Postgres Changes uses; empty, as created by the Supabase image.
do $publication$
begin
  if not exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
  alter publication supabase_realtime owner to postgres;
end
$publication$;
