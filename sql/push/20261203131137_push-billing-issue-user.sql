/*
 * push-billing-issue-user: the "subscription needs attention" notice finds its subscriber
 * (issue 18 §6).
 *
 * Restates private.tg_webhook_events__billing_issue (push-sending, its only body). The intake
 * stores RevenueCat's inner `event` object as the payload (whatssound_svc/payments/events.py),
 * but the trigger read payload -> 'event' ->> 'app_user_id', which is always NULL: no BILLING_ISSUE
 * ever notified anyone. It now reads the stored event itself and finds the user exactly as the
 * entitlement processor does (private.rc_user: app_user_id, original_app_user_id, aliases), so
 * the notice goes to the user whose access the event extended.
 */

create or replace function private.tg_webhook_events__billing_issue() returns trigger
language plpgsql security definer
set search_path = ''
as $$
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
comment on function private.tg_webhook_events__billing_issue() is
  'A handled RevenueCat BILLING_ISSUE (payload: RevenueCat''s event object) notifies the subscriber it is about '
  '(private.rc_user), in the feed and by push.';
