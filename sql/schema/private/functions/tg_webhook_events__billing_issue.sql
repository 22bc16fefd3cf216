-- FUNCTION: tg_webhook_events__billing_issue()
CREATE FUNCTION private.tg_webhook_events__billing_issue() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_user uuid;
begin
  if NEW.provider = 'revenuecat' and NEW.event_type = 'BILLING_ISSUE' and NEW.livemode then
    v_user := private.rc_user(NEW.payload);
    if v_user is not null then
      perform private.notify(v_user, 'subscription', 'subscription:' || NEW.event_id, null, null, null,
        jsonb_build_object('reason', 'billing_issue', 'entitlements', NEW.payload -> 'entitlement_ids'));
    end if;
  end if;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_webhook_events__billing_issue()
COMMENT ON FUNCTION private.tg_webhook_events__billing_issue() IS 'A handled RevenueCat BILLING_ISSUE (payload: RevenueCat''s event object) notifies the subscriber it is about (private.rc_user), in the feed and by push.';

-- ACL: FUNCTION tg_webhook_events__billing_issue()
REVOKE ALL ON FUNCTION private.tg_webhook_events__billing_issue() FROM PUBLIC;
