-- TABLE: push_devices
CREATE TABLE public.push_devices (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    token text NOT NULL,
    platform text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    deactivated_reason text,
    registered_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT push_devices_platform_check CHECK ((platform = ANY (ARRAY['ios'::text, 'android'::text]))),
    CONSTRAINT push_devices_token_check CHECK ((token ~ '^Expo(nent)?PushToken\[[A-Za-z0-9_-]{10,200}\]$'::text))
);

-- COMMENT: TABLE push_devices
COMMENT ON TABLE public.push_devices IS 'A device that receives push notifications (its Expo push token); users see their own.';

-- COMMENT: COLUMN push_devices.id
COMMENT ON COLUMN public.push_devices.id IS 'Device id.';

-- COMMENT: COLUMN push_devices.user_id
COMMENT ON COLUMN public.push_devices.user_id IS 'Who it notifies (the last account that registered it).';

-- COMMENT: COLUMN push_devices.token
COMMENT ON COLUMN public.push_devices.token IS 'Expo push token, ExponentPushToken[...].';

-- COMMENT: COLUMN push_devices.platform
COMMENT ON COLUMN public.push_devices.platform IS 'ios or android.';

-- COMMENT: COLUMN push_devices.active
COMMENT ON COLUMN public.push_devices.active IS 'False once Expo reported it unregistered (or the user signed out on it).';

-- COMMENT: COLUMN push_devices.deactivated_reason
COMMENT ON COLUMN public.push_devices.deactivated_reason IS 'Why it is inactive: DeviceNotRegistered, signed_out, replaced, guest (a guest''s device, from before guests were refused push).';

-- COMMENT: COLUMN push_devices.registered_at
COMMENT ON COLUMN public.push_devices.registered_at IS 'When it was last registered (the app does it at every start).';

-- COMMENT: COLUMN push_devices.created_at
COMMENT ON COLUMN public.push_devices.created_at IS 'When the token was first seen.';

-- CONSTRAINT: push_devices push_devices_pkey
ALTER TABLE ONLY public.push_devices
    ADD CONSTRAINT push_devices_pkey PRIMARY KEY (id);

-- CONSTRAINT: push_devices push_devices_token_key
ALTER TABLE ONLY public.push_devices
    ADD CONSTRAINT push_devices_token_key UNIQUE (token);

-- INDEX: push_devices_user_idx
CREATE INDEX push_devices_user_idx ON public.push_devices USING btree (user_id) WHERE active;

-- TRIGGER: push_devices _050_guest_rule
CREATE TRIGGER _050_guest_rule BEFORE INSERT ON public.push_devices FOR EACH ROW EXECUTE FUNCTION private.tg__guest_rule('register_push', 'register for push notifications');

-- TRIGGER: push_devices _051_guest_reactivate
CREATE TRIGGER _051_guest_reactivate BEFORE UPDATE OF active ON public.push_devices FOR EACH ROW WHEN ((new.active AND (NOT old.active))) EXECUTE FUNCTION private.tg__guest_rule('register_push', 'register for push notifications');

-- TRIGGER: push_devices _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE UPDATE OF active, deactivated_reason ON public.push_devices FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: push_devices push_devices_user_id_fkey
ALTER TABLE ONLY public.push_devices
    ADD CONSTRAINT push_devices_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: push_devices Users deactivate their own devices
CREATE POLICY "Users deactivate their own devices" ON public.push_devices FOR UPDATE TO authenticated USING ((user_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((user_id = ( SELECT auth.uid() AS uid)));

-- POLICY: push_devices Users see their own devices
CREATE POLICY "Users see their own devices" ON public.push_devices FOR SELECT TO authenticated USING ((user_id = ( SELECT auth.uid() AS uid)));

-- ROW SECURITY: push_devices
ALTER TABLE public.push_devices ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE push_devices
GRANT SELECT ON TABLE public.push_devices TO authenticated;

-- ACL: COLUMN push_devices.active
GRANT UPDATE(active) ON TABLE public.push_devices TO authenticated;

-- ACL: COLUMN push_devices.deactivated_reason
GRANT UPDATE(deactivated_reason) ON TABLE public.push_devices TO authenticated;
