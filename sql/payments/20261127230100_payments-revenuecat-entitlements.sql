/*
 * payments-revenuecat-entitlements: RevenueCat events from the ledger become entitlements, the
 * table hidden.has_entitlement reads (subscriber-only chat, higher request quotas).
 *
 * private.process_webhook_events() (the service, every few seconds) claims unhandled rows with
 * SKIP LOCKED and applies each in its own subtransaction through private.apply_webhook_event,
 * the one place that knows which provider goes to which processor: an error is recorded and
 * retried with backoff, never dropped; a handled row is never applied again.
 *
 * Rules (RevenueCat's documented semantics):
 *   - the app sets RevenueCat's app user id to the Supabase user id; events are matched by
 *     app_user_id, original_app_user_id and aliases (the first that is one of our users);
 *   - sandbox events never grant production access (revenuecat_accept_sandbox setting for
 *     TestFlight/internal builds: off);
 *   - purchases, renewals, uncancellations, extensions, temporary grants and product changes
 *     set access until expiration_at_ms (NULL: lifetime); a billing issue extends to the grace
 *     period's end; cancellations and pauses change nothing (access runs to expiration);
 *     EXPIRATION ends access; TRANSFER moves the entitlements to the new user;
 *   - every entitlement row remembers the event time that last changed it (event_at): an older
 *     event never revives or ends access that a newer one set.
 */

insert into private.settings (key, value, description) values
  ('revenuecat_accept_sandbox', 'false', 'Let RevenueCat sandbox purchases grant access (internal builds only).');

alter table public.entitlements add column event_at timestamptz;
comment on column public.entitlements.event_at is
  'Provider time of the event that last changed this row: older events are ignored.';

create function private.rc_user(p_event jsonb) returns uuid
language sql stable
set search_path = ''
as $$
  select p.id
  from (
    select e.value as candidate, e.n from jsonb_array_elements_text(
      jsonb_build_array(p_event -> 'app_user_id', p_event -> 'original_app_user_id')
      || coalesce(p_event -> 'aliases', '[]')
    ) with ordinality as e(value, n)
  ) as c
  join public.profiles as p
    on c.candidate ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
    and p.id = c.candidate::uuid
  order by c.n
  limit 1
$$;
comment on function private.rc_user(jsonb) is 'Our user a RevenueCat event is about (app_user_id, original_app_user_id, aliases).';

create function private.rc_set_access(
  p_user uuid, p_entitlements jsonb, p_expires_at timestamptz, p_event_at timestamptz
) returns void
language sql volatile
set search_path = ''
as $$
  insert into public.entitlements as e (user_id, entitlement, source, expires_at, event_at)
  select p_user, x.value, 'revenuecat', p_expires_at, p_event_at
  from jsonb_array_elements_text(coalesce(p_entitlements, '[]')) as x(value)
  on conflict (user_id, entitlement) do update
  set expires_at = excluded.expires_at, event_at = excluded.event_at, source = 'revenuecat'
  where e.event_at is null or e.event_at < excluded.event_at
$$;
comment on function private.rc_set_access(uuid, jsonb, timestamptz, timestamptz) is
  'Give the user these entitlements until p_expires_at (NULL: lifetime), unless a newer event already decided.';

create function private.apply_revenuecat_event(p_event jsonb, p_livemode boolean) returns text
language plpgsql volatile
set search_path = ''
as $$
declare
  v_type text := p_event ->> 'type';
  v_at timestamptz := to_timestamp((p_event ->> 'event_timestamp_ms')::double precision / 1000);
  v_expires timestamptz := to_timestamp((p_event ->> 'expiration_at_ms')::double precision / 1000);
  v_user uuid;
  v_moved record;
begin
  if not p_livemode and not (hidden.setting('revenuecat_accept_sandbox'))::boolean then
    return 'sandbox: ignored';
  end if;
  if v_type = 'TRANSFER' then
    for v_moved in
      select e.*, private.rc_user(jsonb_build_object('app_user_id', t.value)) as new_user
      from public.entitlements as e
      cross join jsonb_array_elements_text(coalesce(p_event -> 'transferred_to', '[]')) as t(value)
      where e.source = 'revenuecat' and e.user_id in (
        select private.rc_user(jsonb_build_object('app_user_id', f.value))
        from jsonb_array_elements_text(coalesce(p_event -> 'transferred_from', '[]')) as f(value)
      ) and (e.event_at is null or e.event_at < v_at)
    loop
      continue when v_moved.new_user is null;
      delete from public.entitlements as e where e.user_id = v_moved.user_id and e.entitlement = v_moved.entitlement;
      perform private.rc_set_access(v_moved.new_user, jsonb_build_array(v_moved.entitlement), v_moved.expires_at, v_at);
    end loop;
    return 'transferred';
  end if;
  v_user := private.rc_user(p_event);
  if v_user is null then
    return 'no such user: ignored';
  end if;
  case
    when v_type in ('INITIAL_PURCHASE', 'RENEWAL', 'UNCANCELLATION', 'NON_RENEWING_PURCHASE', 'PRODUCT_CHANGE',
      'SUBSCRIPTION_EXTENDED', 'TEMPORARY_ENTITLEMENT_GRANT', 'REFUND_REVERSED') then
      perform private.rc_set_access(v_user, p_event -> 'entitlement_ids', v_expires, v_at);
    when v_type = 'BILLING_ISSUE' then
      perform private.rc_set_access(v_user, p_event -> 'entitlement_ids', greatest(v_expires,
        to_timestamp((p_event ->> 'grace_period_expiration_at_ms')::double precision / 1000)), v_at);
    when v_type = 'EXPIRATION' then
      perform private.rc_set_access(v_user, p_event -> 'entitlement_ids', least(coalesce(v_expires, v_at), v_at), v_at);
    else
      return 'no effect';  -- CANCELLATION, SUBSCRIPTION_PAUSED (access runs to expiration), TEST, unknown
  end case;
  return 'applied';
end
$$;
comment on function private.apply_revenuecat_event(jsonb, boolean) is
  'Apply one RevenueCat event to entitlements (see the migration''s header); returns what it did.';

create function private.apply_webhook_event(p_row private.webhook_events) returns text
language plpgsql volatile
set search_path = ''
as $$
begin
  if p_row.provider = 'revenuecat' then
    return private.apply_revenuecat_event(p_row.payload, p_row.livemode);
  end if;
  raise exception 'Not yet: no processor for % events', p_row.provider using errcode = 'WRTRY';
end
$$;
comment on function private.apply_webhook_event(private.webhook_events) is
  'Apply one stored event with its provider''s processor; returns what it did, raises WRTRY to be retried later.';

create function private.process_webhook_events(p_limit integer default 100) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row private.webhook_events;
  v_done integer := 0;
  v_outcome text;
begin
  for v_row in
    select w.* from private.webhook_events as w
    where w.handled_at is null and w.next_attempt_at <= now()
    order by w.provider_created_at, w.id
    limit p_limit
    for update skip locked
  loop
    begin
      v_outcome := private.apply_webhook_event(v_row);
      update private.webhook_events as w
      set handled_at = now(), attempts = w.attempts + 1, last_error = null
      where w.id = v_row.id;
      v_done := v_done + 1;
    exception when others then
      v_outcome := sqlerrm;
      update private.webhook_events as w
      set attempts = w.attempts + 1, last_error = left(v_outcome, 500),
        next_attempt_at = now() + least(interval '1 hour', interval '5 seconds' * power(2, w.attempts))
      where w.id = v_row.id;
    end;
  end loop;
  return v_done;
end
$$;
comment on function private.process_webhook_events(integer) is
  'Scheduled (the service, every few seconds): apply unhandled events in provider order (apply_webhook_event); '
  'a failure, or an event that must wait (WRTRY), is recorded and retried with backoff. Returns how many were handled.';
