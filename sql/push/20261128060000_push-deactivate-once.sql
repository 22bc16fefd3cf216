/*
 * push-deactivate-once: one place that retires a device Expo says is gone.
 *
 * Expo answers DeviceNotRegistered in a ticket, in a receipt, or to an operator's test push; all
 * three now deactivate through private.push_deactivate, so the reason and the rule stay one.
 */

create function private.push_deactivate(p_device_ids uuid[]) returns integer
language sql volatile
set search_path = ''
as $$
  with gone as (
    update public.push_devices as d set active = false, deactivated_reason = 'DeviceNotRegistered'
    where d.active and d.id = any(p_device_ids)
    returning 1
  )
  select count(*)::integer from gone
$$;
comment on function private.push_deactivate(uuid[]) is
  'Deactivate devices Expo reported as DeviceNotRegistered (the app uninstalled, the token revoked). '
  'Returns how many were still active.';

create or replace function private.push_results(p_results jsonb) returns integer
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
  perform private.push_deactivate(array(
    select m.device_id from private.push_messages as m
    join jsonb_to_recordset(p_results) as r (id bigint, error text) on r.id = m.id
    where r.error = 'DeviceNotRegistered'
  ));
  return v_count;
end
$$;

create or replace function private.push_receipts(p_receipts jsonb) returns integer
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
  perform private.push_deactivate(array(
    select m.device_id from private.push_messages as m
    join jsonb_to_recordset(p_receipts) as r (ticket_id text, error text) on r.ticket_id = m.ticket_id
    where r.error = 'DeviceNotRegistered'
  ));
  return v_count;
end
$$;
