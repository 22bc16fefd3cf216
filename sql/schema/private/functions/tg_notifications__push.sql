-- FUNCTION: tg_notifications__push()
CREATE FUNCTION private.tg_notifications__push() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_queued integer;
begin
  with candidates as (
    select note, private.quiet_until(n.user_id, now()) as quiet_until
    from inserted as n
    join public.notifications as note on note.id = n.id  -- the table's row type, for push_text
    where not exists (
      select 1 from public.push_preferences as p where p.user_id = n.user_id and n.kind = any (p.disabled_kinds)
    )
  )
  insert into private.push_messages (notification_id, device_id, kind, collapse_key, title, body, data, ttl_seconds,
    status, not_before)
  select (c.note).id, d.id, (c.note).kind, x.collapse_key, x.title, x.body, x.data, x.ttl_seconds,
    case when c.quiet_until is not null and (c.note).kind in ('dj_live', 'request_playing') then 'suppressed'
      else 'queued' end::private.push_status,
    coalesce(c.quiet_until, now())
  from candidates as c
  join public.push_devices as d on d.user_id = (c.note).user_id and d.active
  cross join lateral private.push_text(c.note) as x
  on conflict (notification_id, device_id) do nothing;
  get diagnostics v_queued = row_count;
  if v_queued > 0 then
    perform private.enqueue_job('push:send', '{}', 'push', 'push:send');
  end if;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_notifications__push()
COMMENT ON FUNCTION private.tg_notifications__push() IS 'New notifications become push messages for the users'' active devices (preferences and quiet hours applied).';

-- ACL: FUNCTION tg_notifications__push()
REVOKE ALL ON FUNCTION private.tg_notifications__push() FROM PUBLIC;
