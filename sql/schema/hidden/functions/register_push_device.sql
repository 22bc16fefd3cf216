-- FUNCTION: register_push_device(text, text)
CREATE FUNCTION hidden.register_push_device(p_token text, p_platform text) RETURNS public.push_devices
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
declare
  v_uid uuid := hidden.require_user();
  v_device public.push_devices;
begin
  if p_token is null or p_token !~ '^Expo(nent)?PushToken\[[A-Za-z0-9_-]{10,200}\]$' then
    raise exception 'That is not an Expo push token.' using errcode = '22023',
      hint = 'Send what getExpoPushTokenAsync() returns: ExponentPushToken[...].';
  elsif p_platform is null or p_platform not in ('ios', 'android') then
    raise exception 'Platform must be ios or android.' using errcode = '22023', hint = 'Send Platform.OS.';
  end if;
  insert into public.push_devices as d (user_id, token, platform)
  values (v_uid, p_token, p_platform)
  on conflict (token) do update
  set user_id = excluded.user_id, platform = excluded.platform, active = true, deactivated_reason = null,
    registered_at = now()
  returning * into v_device;
  -- At most 10 active devices per user: the longest unregistered ones stop receiving.
  update public.push_devices as d set active = false, deactivated_reason = 'replaced'
  where d.user_id = v_uid and d.active and d.id in (
    select o.id from public.push_devices as o where o.user_id = v_uid and o.active
    order by o.registered_at desc offset 10
  );
  return v_device;
end
$_$;

-- COMMENT: FUNCTION register_push_device(p_token text, p_platform text)
COMMENT ON FUNCTION hidden.register_push_device(p_token text, p_platform text) IS 'Implementation of public.register_push_device.';

-- ACL: FUNCTION register_push_device(p_token text, p_platform text)
REVOKE ALL ON FUNCTION hidden.register_push_device(p_token text, p_platform text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.register_push_device(p_token text, p_platform text) TO authenticated;
