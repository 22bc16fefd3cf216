/*
 * people-profiles: who the users are.
 *
 * Every Supabase Auth user (phone, Apple, Google or anonymous) gets exactly one profile, made
 * by a trigger on auth.users in the sign-up transaction, with a unique handle generated when
 * none is offered. Users edit their own editable columns directly (column-level grants + RLS);
 * a guard trigger normalises and checks what they write. Staff membership, settings and other
 * service-only state live in `private`, never in a client-readable table.
 */

-- settings -------------------------------------------------------------------------------------

/*
 * Operational knobs, changed by operators without a migration. Read through
 * hidden.setting(); each row says what it controls.
 */
create table private.settings (
  key text primary key check (key ~ '^[a-z][a-z0-9_]*$'),
  value jsonb not null,
  description text not null
);
comment on table private.settings is 'Operational knobs (key -> JSON value), read via hidden.setting().';
comment on column private.settings.key is 'Setting name, snake_case.';
comment on column private.settings.value is 'Setting value as JSON (number, boolean or string).';
comment on column private.settings.description is 'What the setting controls, for operators.';
alter table private.settings enable row level security;
-- NOTE: no policies and no grants: only the migration role and definer helpers read it.

insert into private.settings (key, value, description) values
  ('anonymous_may_chat', 'false', 'Whether anonymous sign-ins may send chat messages.'),
  ('anonymous_may_request', 'false', 'Whether anonymous sign-ins may request songs and vote.'),
  ('anonymous_may_tip', 'false', 'Whether anonymous sign-ins may tip.'),
  ('handle_change_cooldown_seconds', '2592000', 'Minimum time between two handle changes (30 days).'),
  ('subscriber_entitlement', '"premium"', 'Entitlement that subscriber-only features check.');

create function hidden.setting(p_key text) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select s.value from private.settings as s where s.key = p_key
$$;
comment on function hidden.setting(text) is 'The JSON value of an operational setting (NULL if unknown).';
grant execute on function hidden.setting(text) to anon, authenticated, service_role;

-- staff ----------------------------------------------------------------------------------------

create table private.staff (
  user_id uuid primary key references auth.users (id) on delete cascade,
  role text not null check (role in ('moderator', 'admin')),
  granted_at timestamptz not null default now()
);
comment on table private.staff is 'WhatsSound staff: may read the report queue and act platform-wide.';
comment on column private.staff.user_id is 'The staff member.';
comment on column private.staff.role is 'moderator (reports, sessions) or admin (everything).';
comment on column private.staff.granted_at is 'When the role was granted.';
alter table private.staff enable row level security;
-- NOTE: no policies and no grants: staff are managed with the admin CLI.

create function hidden.is_staff() returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (select 1 from private.staff as s where s.user_id = auth.uid())
$$;
comment on function hidden.is_staff() is 'Whether the caller is WhatsSound staff.';
grant execute on function hidden.is_staff() to anon, authenticated, service_role;

-- shared triggers ------------------------------------------------------------------------------

create function private.tg__timestamps() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if TG_OP = 'INSERT' then
    NEW.created_at := now();
  else
    NEW.created_at := OLD.created_at;
  end if;
  NEW.updated_at := case
    when TG_OP = 'UPDATE' and OLD.updated_at >= now() then OLD.updated_at + interval '1 millisecond'
    else now()
  end;
  return NEW;
end
$$;
comment on function private.tg__timestamps() is
  'Shared trigger: created_at is set once and immutable, updated_at only moves forward.';

-- entitlements (the seam payments fill) -------------------------------------------------------

create table public.entitlements (
  user_id uuid not null references auth.users (id) on delete cascade,
  entitlement text not null check (entitlement ~ '^[a-z][a-z0-9_]{1,40}$'),
  source text not null check (source in ('revenuecat', 'stripe', 'staff')),
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, entitlement)
);
comment on table public.entitlements is
  'What a user has paid for (or was granted). Fed by the payment webhooks; read through hidden.has_entitlement().';
comment on column public.entitlements.user_id is 'The entitled user.';
comment on column public.entitlements.entitlement is 'Entitlement name, e.g. premium.';
comment on column public.entitlements.source is 'Who granted it: revenuecat, stripe or staff.';
comment on column public.entitlements.expires_at is 'When access ends; NULL for no expiry.';
comment on column public.entitlements.created_at is 'When the entitlement was first granted.';
comment on column public.entitlements.updated_at is 'Last change.';
alter table public.entitlements enable row level security;
create policy "Users can read their own entitlements" on public.entitlements
  for select to authenticated using (user_id = (select auth.uid()));
grant select on public.entitlements to authenticated;
-- NOTE: no write grants: only the service (payment webhooks) writes entitlements.
create trigger _100_timestamps before insert or update on public.entitlements
  for each row execute function private.tg__timestamps();

create function hidden.has_entitlement(p_user_id uuid, p_entitlement text) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.entitlements as e
    where e.user_id = p_user_id and e.entitlement = p_entitlement
      and (e.expires_at is null or e.expires_at > now())
  )
$$;
comment on function hidden.has_entitlement(uuid, text) is
  'The single entitlement seam: whether the user currently holds the named entitlement.';
grant execute on function hidden.has_entitlement(uuid, text) to authenticated, service_role;

-- profiles -------------------------------------------------------------------------------------

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  handle text not null unique check (handle ~ '^[a-z0-9_]{3,30}$'),
  display_name text not null check (char_length(display_name) between 1 and 50),
  avatar_url text check (avatar_url ~ '^https://' and char_length(avatar_url) <= 2048),
  bio text not null default '' check (char_length(bio) <= 300),
  is_dj boolean not null default false,
  is_verified boolean not null default false,
  follower_count integer not null default 0 check (follower_count >= 0),
  following_count integer not null default 0 check (following_count >= 0),
  handle_changed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is
  'One public profile per user, created when Supabase Auth creates the user. Readable by everyone.';
comment on column public.profiles.id is 'The auth.users id.';
comment on column public.profiles.handle is
  'Unique @handle: 3-30 of [a-z0-9_], stored lower-case; changeable once per cooldown.';
comment on column public.profiles.display_name is 'Name shown in the app, 1-50 characters.';
comment on column public.profiles.avatar_url is 'https URL of the avatar image, or NULL.';
comment on column public.profiles.bio is 'Free text, up to 300 characters.';
comment on column public.profiles.is_dj is 'Whether the user hosts sessions (self-service; not for anonymous users).';
comment on column public.profiles.is_verified is 'Verified badge; set by staff only.';
comment on column public.profiles.follower_count is 'Exact number of followers (maintained by triggers).';
comment on column public.profiles.following_count is 'Exact number of users followed (maintained by triggers).';
comment on column public.profiles.handle_changed_at is 'When the handle was last changed by the user.';
comment on column public.profiles.created_at is 'Sign-up time.';
comment on column public.profiles.updated_at is 'Last change.';
alter table public.profiles enable row level security;
create policy "Profiles are public" on public.profiles
  for select to anon, authenticated using (true);
create policy "Users can edit their own profile" on public.profiles
  for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));
grant select on public.profiles to anon, authenticated;
grant update (handle, display_name, avatar_url, bio, is_dj) on public.profiles to authenticated;
-- NOTE: no insert/delete grants: profiles come and go with auth.users.

create trigger _100_timestamps before insert or update on public.profiles
  for each row execute function private.tg__timestamps();

-- helpers every domain uses ---------------------------------------------------------------------

create function hidden.is_anonymous(p_user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select coalesce((select u.is_anonymous from auth.users as u where u.id = p_user_id), false)
$$;
comment on function hidden.is_anonymous(uuid) is 'Whether the user signed in anonymously (authoritative, from auth.users).';
grant execute on function hidden.is_anonymous(uuid) to authenticated, service_role;

create function hidden.require_user() returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    raise exception 'You need to be signed in to do that.'
      using errcode = 'LOGIN', hint = 'Sign in (an anonymous sign-in is enough to listen).';
  end if;
  return v_uid;
end
$$;
comment on function hidden.require_user() is 'The caller''s user id; raises LOGIN for requests without a user.';
grant execute on function hidden.require_user() to anon, authenticated, service_role;

create function hidden.require_full_account(p_action text) returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
begin
  if hidden.is_anonymous(v_uid)
    and not coalesce((hidden.setting('anonymous_may_' || p_action))::boolean, false) then
    raise exception 'Guests cannot % here.', p_action
      using errcode = 'ANONY', hint = 'Sign in with a phone number, Apple or Google first.';
  end if;
  return v_uid;
end
$$;
comment on function hidden.require_full_account(text) is
  'The caller''s id, refusing anonymous sign-ins (ANONY) unless setting anonymous_may_<action> allows.';
grant execute on function hidden.require_full_account(text) to authenticated, service_role;

-- handles --------------------------------------------------------------------------------------

create function private.handle_base(p_text text) returns text
language sql immutable
set search_path = ''
as $$
  select left(regexp_replace(lower(coalesce(p_text, '')), '[^a-z0-9_]+', '_', 'g'), 24)
$$;
comment on function private.handle_base(text) is
  'A handle stem from free text: lower-case, runs of other characters become _, at most 24 long.';

create function private.insert_profile(
  p_id uuid, p_handle_hint text, p_display_name text, p_avatar_url text, p_anonymous boolean
) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_base text := trim(both '_' from private.handle_base(p_handle_hint));
  v_candidate text;
  v_attempt integer := 0;
begin
  if p_anonymous then
    v_base := 'guest';
  elsif char_length(v_base) < 3 then
    v_base := 'user';
  end if;
  loop
    v_candidate := case
      when v_attempt = 0 and not p_anonymous and v_base <> 'user' then v_base
      else v_base || '_' || lpad((floor(random() * 1000000))::integer::text, 6, '0')
    end;
    insert into public.profiles (id, handle, display_name, avatar_url)
    values (
      p_id, v_candidate, left(coalesce(nullif(btrim(p_display_name), ''), v_candidate), 50),
      case when p_avatar_url ~ '^https://' then left(p_avatar_url, 2048) end
    )
    on conflict (handle) do nothing;
    exit when found;
    v_attempt := v_attempt + 1;
    if v_attempt > 20 then
      raise exception 'Could not find a free handle for %.', v_base
        using errcode = 'TAKEN', hint = 'Offer a more distinctive handle in the sign-up metadata.';
    end if;
  end loop;
end
$$;
comment on function private.insert_profile(uuid, text, text, text, boolean) is
  'Create a profile with the first free handle derived from a hint (random suffix on collision).';

create function private.tg_auth_users__create_profile() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_meta jsonb := coalesce(NEW.raw_user_meta_data, '{}');
begin
  perform private.insert_profile(
    NEW.id,
    coalesce(v_meta ->> 'handle', v_meta ->> 'user_name', v_meta ->> 'preferred_username',
      v_meta ->> 'full_name', v_meta ->> 'name', split_part(NEW.email, '@', 1)),
    coalesce(v_meta ->> 'display_name', v_meta ->> 'full_name', v_meta ->> 'name'),
    coalesce(v_meta ->> 'avatar_url', v_meta ->> 'picture'),
    NEW.is_anonymous
  );
  return null;
end
$$;
comment on function private.tg_auth_users__create_profile() is
  'After a Supabase Auth sign-up: create the user''s profile (runs as supabase_auth_admin, hence definer).';
create trigger _100_whatssound_create_profile after insert on auth.users
  for each row execute function private.tg_auth_users__create_profile();

create function private.tg_profiles__guard() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_cooldown interval;
begin
  NEW.handle := lower(btrim(NEW.handle));
  if NEW.handle is distinct from OLD.handle then
    if NEW.handle !~ '^[a-z0-9_]{3,30}$' then
      raise exception 'A handle is 3 to 30 letters, digits or underscores.'
        using errcode = 'BADHN', hint = 'Try something like dj_nova or nova_23.';
    end if;
    v_cooldown := make_interval(secs => (hidden.setting('handle_change_cooldown_seconds'))::integer);
    if OLD.handle_changed_at is not null and OLD.handle_changed_at > now() - v_cooldown then
      raise exception 'You changed your handle recently.'
        using errcode = 'COOLD',
          detail = json_build_object('next_change_at', OLD.handle_changed_at + v_cooldown)::text,
          hint = 'You can change it again after the cooldown (see details.next_change_at).';
    end if;
    if exists (select 1 from public.profiles as p where p.handle = NEW.handle and p.id <> NEW.id) then
      raise exception 'That handle is taken.' using errcode = 'TAKEN', hint = 'Pick another handle.';
    end if;
    NEW.handle_changed_at := now();
  end if;
  NEW.display_name := btrim(NEW.display_name);
  if NEW.is_dj and not OLD.is_dj and hidden.is_anonymous(NEW.id) then
    raise exception 'Guests cannot host sessions.'
      using errcode = 'ANONY', hint = 'Sign in with a phone number, Apple or Google to become a DJ.';
  end if;
  return NEW;
end
$$;
comment on function private.tg_profiles__guard() is
  'Before a profile update: normalise and validate the handle (format, cooldown, uniqueness), display name and DJ flag.';
create trigger _200_guard before update on public.profiles
  for each row execute function private.tg_profiles__guard();
