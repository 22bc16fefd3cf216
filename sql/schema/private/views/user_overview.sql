-- VIEW: user_overview
CREATE VIEW private.user_overview WITH (security_invoker='true') AS
 SELECT p.id,
    p.handle,
    p.display_name,
    p.is_dj,
    u.phone,
    u.email,
    u.created_at,
    u.last_sign_in_at,
    u.is_anonymous,
    u.banned_until,
    ( SELECT count(*) AS count
           FROM public.push_devices d
          WHERE ((d.user_id = p.id) AND d.active)) AS active_devices,
    ( SELECT COALESCE(json_agg(e.entitlement), '[]'::json) AS "coalesce"
           FROM public.entitlements e
          WHERE ((e.user_id = p.id) AND ((e.expires_at IS NULL) OR (e.expires_at > now())))) AS entitlements,
    ( SELECT count(*) AS count
           FROM public.dj_bans b
          WHERE ((b.user_id = p.id) AND (b.revoked_at IS NULL))) AS dj_bans,
    ( SELECT count(*) AS count
           FROM public.reports r
          WHERE (r.target_user_id = p.id)) AS reports_against,
    ( SELECT count(*) AS count
           FROM public.chat_messages m
          WHERE (m.author_id = p.id)) AS chat_messages,
    ( SELECT count(*) AS count
           FROM public.tips t
          WHERE ((t.tipper_id = p.id) AND (t.status = 'succeeded'::public.tip_status))) AS tips_given
   FROM (public.profiles p
     JOIN auth.users u ON ((p.id = u.id)));

-- COMMENT: VIEW user_overview
COMMENT ON VIEW private.user_overview IS 'One row per user: account, sign-in, devices, entitlements, bans and activity.';
