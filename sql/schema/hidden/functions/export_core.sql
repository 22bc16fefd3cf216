-- FUNCTION: export_core()
CREATE FUNCTION hidden.export_core() RETURNS json
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  -- Everything we hold about the caller, by what it is to them. Not included: who blocked or
  -- reported them, and moderators' identities on actions against them (other people's data).
  select json_build_object(
    'format', 'whatssound-export/1',
    'exported_at', now(),
    'account', (
      select json_build_object(
        'id', u.id, 'phone', u.phone, 'email', u.email, 'created_at', u.created_at,
        'last_sign_in_at', u.last_sign_in_at, 'is_anonymous', u.is_anonymous,
        'providers', u.raw_app_meta_data -> 'providers'
      ) from auth.users as u where u.id = me.id
    ),
    'profile', (select to_json(p) from public.profiles as p where p.id = me.id),
    'staff_role', (select s.role from private.staff as s where s.user_id = me.id),
    'entitlements', (select coalesce(json_agg(e), '[]') from public.entitlements as e where e.user_id = me.id),
    'following', (select coalesce(json_agg(f), '[]') from public.follows as f where f.follower_id = me.id),
    'followers', (select coalesce(json_agg(f), '[]') from public.follows as f where f.followee_id = me.id),
    'blocking', (select coalesce(json_agg(b), '[]') from public.blocks as b where b.blocker_id = me.id),
    'sessions_hosted', (select coalesce(json_agg(s), '[]') from public.dj_sessions as s where s.dj_id = me.id),
    'memberships', (select coalesce(json_agg(m), '[]') from public.session_members as m where m.user_id = me.id),
    'moderating_for', (select coalesce(json_agg(d), '[]') from public.dj_moderators as d where d.user_id = me.id),
    'my_moderators', (select coalesce(json_agg(d), '[]') from public.dj_moderators as d where d.dj_id = me.id),
    'chat_messages', (select coalesce(json_agg(c), '[]') from public.chat_messages as c where c.author_id = me.id),
    'requests', (select coalesce(json_agg(q), '[]') from public.queue_items as q where q.requested_by = me.id),
    'votes', (select coalesce(json_agg(v), '[]') from public.queue_votes as v where v.user_id = me.id),
    'skip_votes', (select coalesce(json_agg(v), '[]') from public.skip_votes as v where v.user_id = me.id),
    'plays_requested', (
      select coalesce(json_agg(s), '[]') from public.session_plays as s where s.requested_by = me.id
    ),
    'playlists', (
      select coalesce(json_agg(json_build_object('playlist', l, 'tracks', (
        select coalesce(json_agg(t order by t.position), '[]') from public.playlist_tracks as t
        where t.playlist_id = l.id
      ))), '[]')
      from public.playlists as l where l.owner_id = me.id
    ),
    'notifications', (select coalesce(json_agg(n), '[]') from public.notifications as n where n.user_id = me.id),
    'bans_received', (
      select coalesce(json_agg(json_build_object(
        'dj_id', b.dj_id, 'kind', b.kind, 'reason', b.reason, 'created_at', b.created_at,
        'expires_at', b.expires_at, 'revoked_at', b.revoked_at
      )), '[]') from public.dj_bans as b where b.user_id = me.id
    ),
    'bans_issued', (select coalesce(json_agg(b), '[]') from public.dj_bans as b where b.dj_id = me.id),
    'blocked_terms', (select coalesce(json_agg(t), '[]') from public.dj_blocked_terms as t where t.dj_id = me.id),
    'reports_filed', (select coalesce(json_agg(r), '[]') from public.reports as r where r.reporter_id = me.id),
    'moderation_actions_taken', (
      select coalesce(json_agg(l), '[]') from public.moderation_log as l where l.actor_id = me.id
    ),
    'sms_sent', (
      select coalesce(json_agg(json_build_object('created_at', m.created_at, 'outcome', m.outcome)), '[]')
      from private.sms_sends as m where m.user_id = me.id
    ),
    'tips_given', (select coalesce(json_agg(t), '[]') from public.tips as t where t.tipper_id = me.id),
    'tips_received', (select coalesce(json_agg(t), '[]') from public.tips as t where t.dj_id = me.id),
    'payout_account', (select to_json(a) from public.payout_accounts as a where a.dj_id = me.id),
    'personal_events', (
      select coalesce(json_agg(l.payload order by l.seq), '[]') from private.realtime_log as l
      where l.topic = 'user:' || me.id
    )
  )
  from (select hidden.require_user() as id) as me
$$;

-- COMMENT: FUNCTION export_core()
COMMENT ON FUNCTION hidden.export_core() IS 'The export''s fixed sections (see export_my_data).';

-- ACL: FUNCTION export_core()
REVOKE ALL ON FUNCTION hidden.export_core() FROM PUBLIC;
