/*
 * people-guest-rules: what a guest (an anonymous sign-in) may do, decided once and enforced in
 * the database, so it holds for RPCs and direct table writes (PostgREST, Storage) alike.
 *
 * Guests cost nothing to make (30 per hour per IP), so anything a guest can do in bulk is
 * refused unless it protects the guest or is needed to listen. Before this migration guests
 * were refused chat, requests, votes, tips and hosting, but could follow, report (as often as
 * members), register push devices, upload images and rename themselves. The decisions, and why
 * (docs/auth.md, "What a guest may do"):
 *
 *   follow                no   cheap follower inflation, and every follow is a go-live push
 *   register_push         no   the pushes that can reach a guest (a mention, a new follower)
 *                              stay in the in-app feed; dj_live, request_playing, tips and
 *                              subscriptions need what guests cannot do
 *   edit_profile          no   handle, display name and bio: guests keep the generated guest_
 *                              name (impersonation, spam in bios); also at sign-up, where
 *                              signInAnonymously's metadata would otherwise name the profile
 *   upload_images         no   avatars and covers are public, CDN-served images (free hosting,
 *                              impersonation); covers are for hosts; and avatar_url itself
 *   report                yes  safety, but one per hour (anonymous_report_rate_*), on top of
 *                              the members' budget. No automatic action counts reports today;
 *                              one that does must leave guests' reports out.
 *   block                 yes  self-protection, affecting only the guest: no setting, no rule
 *
 * One mechanism: private.tg__guest_rule('<action>', '<what, for the message>') on each table,
 * refusing with ANONY unless setting anonymous_may_<action> allows, then taking a token from
 * the guest's bucket when settings anonymous_<action>_rate_capacity/_per_second exist (RATEL).
 * Who acts is the caller (auth.uid()), so the service and the migration role are never
 * refused; an account whose deletion is recorded is exempt, as delete_my_account scrubs the
 * profile as its owner. Storage uploads are refused by a restrictive policy on storage.objects
 * asking the same helper, hidden.guest_may (as for suspensions: Storage answers a policy
 * refusal with 403, where a trigger's exception would be a server error).
 */

-- settings -------------------------------------------------------------------------------------

insert into private.settings (key, value, description) values
  ('anonymous_may_follow', 'false', 'Whether anonymous sign-ins may follow users.'),
  ('anonymous_may_register_push', 'false', 'Whether anonymous sign-ins may register devices for push notifications.'),
  ('anonymous_may_edit_profile', 'false',
    'Whether anonymous sign-ins may choose their handle, display name and bio (else: the generated guest_ name).'),
  ('anonymous_may_upload_images', 'false',
    'Whether anonymous sign-ins may upload avatars and covers to Storage, or set a profile avatar_url.'),
  ('anonymous_may_report', 'true', 'Whether anonymous sign-ins may report (within anonymous_report_rate_*).'),
  ('anonymous_report_rate_capacity', '1', 'Reports a guest may file at once (members: report_rate_capacity).'),
  ('anonymous_report_rate_per_second', '0.000278', 'Sustained report rate per guest (one an hour).');

-- helpers --------------------------------------------------------------------------------------

create function hidden.guest_may(p_action text) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select not coalesce((select u.is_anonymous from auth.users as u where u.id = auth.uid()), false)
    or coalesce((select (s.value)::boolean from private.settings as s where s.key = 'anonymous_may_' || p_action), false)
    or exists (select 1 from private.account_deletions as d where d.user_id = auth.uid())
$$;
comment on function hidden.guest_may(text) is
  'Whether the caller may do p_action: true for full accounts (and requests without a user); for guests, setting '
  'anonymous_may_<action> (false if missing), or an account deletion under way.';
grant execute on function hidden.guest_may(text) to authenticated, service_role;

-- the shared trigger ---------------------------------------------------------------------------

create function private.tg__guest_rule() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_action text := TG_ARGV[0];
  v_uid uuid := auth.uid();
  v_capacity integer;
  v_wait double precision;
begin
  if v_uid is null or not hidden.is_anonymous(v_uid) then
    return NEW;
  end if;
  if not hidden.guest_may(v_action) then
    raise exception 'Guests cannot %.', TG_ARGV[1]
      using errcode = 'ANONY', hint = format('Sign in with a phone number, Apple or Google first (action: %s).', v_action);
  end if;
  v_capacity := (hidden.setting('anonymous_' || v_action || '_rate_capacity'))::integer;
  if v_capacity is not null then
    v_wait := hidden.take_token(v_uid, 'anonymous_' || v_action, v_capacity,
      (hidden.setting('anonymous_' || v_action || '_rate_per_second'))::double precision);
    if v_wait > 0 then
      raise exception 'Guests can only % now and then.', TG_ARGV[1] using errcode = 'RATEL',
        detail = json_build_object('retry_after_seconds', v_wait)::text,
        hint = 'Try again later, or sign in with a phone number, Apple or Google.';
    end if;
  end if;
  return NEW;
end
$$;
comment on function private.tg__guest_rule() is
  'Shared BEFORE trigger, arguments (action, what it is for the message): refuses a guest caller with ANONY unless '
  'setting anonymous_may_<action> allows, and rate-limits them with RATEL when anonymous_<action>_rate_capacity '
  'and _per_second are set. Full accounts, the service and the migration role pass.';

create function private.tg_profiles__guest_defaults() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if hidden.is_anonymous(NEW.id) then
    if not coalesce((hidden.setting('anonymous_may_edit_profile'))::boolean, false) then
      NEW.display_name := NEW.handle;
    end if;
    if not coalesce((hidden.setting('anonymous_may_upload_images'))::boolean, false) then
      NEW.avatar_url := null;
    end if;
  end if;
  return NEW;
end
$$;
comment on function private.tg_profiles__guest_defaults() is
  'Before a profile is created: a guest''s display name is its generated handle and it has no avatar, whatever the '
  'sign-up metadata said (unless anonymous_may_edit_profile / anonymous_may_upload_images).';

-- the rules, table by table --------------------------------------------------------------------

create trigger _050_guest_rule before insert on public.follows
  for each row execute function private.tg__guest_rule('follow', 'follow users');

create trigger _050_guest_rule before insert on public.reports
  for each row execute function private.tg__guest_rule('report', 'report');

-- A BEFORE INSERT trigger fires even when ON CONFLICT then updates, so this covers every
-- register_push_device call; the update trigger covers re-activating a device directly.
create trigger _050_guest_rule before insert on public.push_devices
  for each row execute function private.tg__guest_rule('register_push', 'register for push notifications');
create trigger _051_guest_reactivate before update of active on public.push_devices
  for each row when (new.active and not old.active)
  execute function private.tg__guest_rule('register_push', 'register for push notifications');

create trigger _050_guest_defaults before insert on public.profiles
  for each row execute function private.tg_profiles__guest_defaults();
create trigger _050_guest_rule before update of handle, display_name, bio on public.profiles
  for each row when (
    new.handle is distinct from old.handle
    or new.display_name is distinct from old.display_name
    or new.bio is distinct from old.bio
  )
  execute function private.tg__guest_rule('edit_profile', 'change their name or bio');
create trigger _051_guest_avatar before update of avatar_url on public.profiles
  for each row when (new.avatar_url is distinct from old.avatar_url)
  execute function private.tg__guest_rule('upload_images', 'set an avatar');

-- policies: Storage's image buckets ------------------------------------------------------------

create policy "Guests upload no images" on storage.objects
  as restrictive for insert to authenticated
  with check (bucket_id not in ('avatars', 'covers') or (select hidden.guest_may('upload_images')));
create policy "Guests replace no images" on storage.objects
  as restrictive for update to authenticated
  using (bucket_id not in ('avatars', 'covers') or (select hidden.guest_may('upload_images')));
-- NOTE: no delete policy: a guest may still remove what it uploaded before these rules.

-- what guests did before these rules -----------------------------------------------------------

/*
 * Follows by guests go (the count triggers keep follower counts exact), and guests' devices stop
 * receiving pushes; both come back the normal way once the guest signs in with a full account.
 * Names, bios and avatars guests chose stay: resetting them would surprise more than it helps.
 */
delete from public.follows as f
using auth.users as u
where u.id = f.follower_id and u.is_anonymous;

update public.push_devices as d set active = false, deactivated_reason = 'guest'
from auth.users as u
where u.id = d.user_id and u.is_anonymous and d.active;
comment on column public.push_devices.deactivated_reason is
  'Why it is inactive: DeviceNotRegistered, signed_out, replaced, guest (a guest''s device, from before guests '
  'were refused push).';

-- the RPCs' documentation (their bodies are unchanged) ------------------------------------------

comment on function public.follow(uuid) is
  E'Follow a user (idempotent). Returns the follow. Guests (anonymous sign-ins) cannot follow.\n'
  'Errors: LOGIN; ANONY guest; P0002 no such user; SELFX yourself; BLOCK one of you blocked the other.\n'
  'Example: await supabase.rpc(''follow'', { p_user_id: djId })';
comment on function public.register_push_device(text, text) is
  E'Register this device for push notifications (call at every app start and after sign-in, not as a guest). A token '
  'already registered by another account moves to the caller; a deactivated one becomes active again. Returns the '
  'device.\n'
  'Errors: LOGIN; ANONY guest; 22023 not an Expo token or bad platform.\n'
  'Example: await supabase.rpc(''register_push_device'', { p_token: (await Notifications.getExpoPushTokenAsync()).data, p_platform: Platform.OS })';
comment on function public.report_content(public.report_target, uuid, public.report_reason, text) is
  E'Report a message, user or session to WhatsSound staff. Idempotent while the report is open. Returns the report id. '
  'Guests may report once an hour.\n'
  'Errors: LOGIN; ANONY guests may not report right now; P0002 nothing there; RATEL too many reports '
  '(details.retry_after_seconds).\n'
  'Example: await supabase.rpc(''report_content'', { p_target_kind: ''message'', p_target_id: msgId, p_reason: ''spam'' })';
