/*
 * payments-revenuecat-sync: entitlements from RevenueCat's subscriber API (GET /v1/subscribers),
 * RevenueCat's recommended source of truth, used by `whatssound reconcile revenuecat USER`.
 *
 * The service fetches the subscriber and passes its entitlements here; they replace the user's
 * RevenueCat entitlements, stamped with the fetch time as event_at, so an older webhook event
 * arriving afterwards cannot undo the sync (rc_set_access's guard), and a newer one still wins.
 */

create function private.rc_sync_entitlements(p_user uuid, p_entitlements jsonb, p_synced_at timestamptz)
returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_count integer;
begin
  -- p_entitlements: {name: {"expires_at": timestamptz | null}} for every entitlement still granted.
  delete from public.entitlements as e
  where e.user_id = p_user and e.source = 'revenuecat' and not (p_entitlements ? e.entitlement)
    and (e.event_at is null or e.event_at < p_synced_at);
  insert into public.entitlements as e (user_id, entitlement, source, expires_at, event_at)
  select p_user, x.key, 'revenuecat', (x.value ->> 'expires_at')::timestamptz, p_synced_at
  from jsonb_each(p_entitlements) as x
  on conflict (user_id, entitlement) do update
  set expires_at = excluded.expires_at, event_at = excluded.event_at, source = 'revenuecat'
  where e.event_at is null or e.event_at < excluded.event_at;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
comment on function private.rc_sync_entitlements(uuid, jsonb, timestamptz) is
  'Make the user''s RevenueCat entitlements those the subscriber API returned at p_synced_at; returns rows written.';
