-- FUNCTION: register_push_device(text, text)
CREATE FUNCTION public.register_push_device(p_token text, p_platform text) RETURNS public.push_devices
    LANGUAGE sql
    SET search_path TO ''
    AS $$ select hidden.register_push_device(p_token, p_platform) $$;

-- COMMENT: FUNCTION register_push_device(p_token text, p_platform text)
COMMENT ON FUNCTION public.register_push_device(p_token text, p_platform text) IS 'Register this device for push notifications (call at every app start and after sign-in, not as a guest). A token already registered by another account moves to the caller; a deactivated one becomes active again. Returns the device.
Errors: LOGIN; ANONY guest; 22023 not an Expo token or bad platform.
Example: await supabase.rpc(''register_push_device'', { p_token: (await Notifications.getExpoPushTokenAsync()).data, p_platform: Platform.OS })';

-- ACL: FUNCTION register_push_device(p_token text, p_platform text)
REVOKE ALL ON FUNCTION public.register_push_device(p_token text, p_platform text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.register_push_device(p_token text, p_platform text) TO authenticated;
