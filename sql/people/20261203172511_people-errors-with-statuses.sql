/*
 * people-errors-with-statuses: this domain's errors reach the app with the HTTP status they mean
 * (issue 19 §1).
 *
 * Every raise of a code whose status is not 400 (docs/error-codes.md, HTTP column) becomes a
 * PGRST raise built by hidden.api_error / hidden.api_response
 * (20261203172346_foundation-api-statuses.sql says why: PostgREST answers P0002 with 500 and
 * our own codes with 400). Nothing else changes: each function is restated from its newest
 * definition (named above it), with the same code, message, hint and details.
 * Restated: hidden.require_full_account, private.insert_profile, private.tg__guest_rule,
 * private.tg_follows__check, private.tg_profiles__guard, private.tg_profiles__names,
 * public.block_user, public.follow.
 */

-- From 20261127190000_people-profiles.sql.
create or replace function hidden.require_full_account(p_action text) returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
begin
  if hidden.is_anonymous(v_uid)
    and not coalesce((hidden.setting('anonymous_may_' || p_action))::boolean, false) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        format('Guests cannot %s here.', p_action),
        'Sign in with a phone number, Apple or Google first.'
      ),
      detail = hidden.api_response('ANONY');
  end if;
  return v_uid;
end
$$;

-- From 20261127190000_people-profiles.sql.
create or replace function private.insert_profile(
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
      raise sqlstate 'PGRST' using
        message = hidden.api_error(
          'TAKEN',
          format('Could not find a free handle for %s.', v_base),
          'Offer a more distinctive handle in the sign-up metadata.'
        ),
        detail = hidden.api_response('TAKEN');
    end if;
  end loop;
end
$$;

-- From 20261127190000_people-profiles.sql.
create or replace function private.tg_profiles__guard() returns trigger
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
      raise sqlstate 'PGRST' using
        message = hidden.api_error(
          'COOLD',
          'You changed your handle recently.',
          'You can change it again after the cooldown (see details.next_change_at).',
          json_build_object('next_change_at', OLD.handle_changed_at + v_cooldown)::text
        ),
        detail = hidden.api_response('COOLD', extract(epoch from OLD.handle_changed_at + v_cooldown - now()));
    end if;
    if exists (select 1 from public.profiles as p where p.handle = NEW.handle and p.id <> NEW.id) then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('TAKEN', 'That handle is taken.', 'Pick another handle.'),
        detail = hidden.api_response('TAKEN');
    end if;
    NEW.handle_changed_at := now();
  end if;
  NEW.display_name := btrim(NEW.display_name);
  if NEW.is_dj and not OLD.is_dj and hidden.is_anonymous(NEW.id) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        'Guests cannot host sessions.',
        'Sign in with a phone number, Apple or Google to become a DJ.'
      ),
      detail = hidden.api_response('ANONY');
  end if;
  return NEW;
end
$$;

-- From 20261127190200_people-social-graph.sql.
create or replace function private.tg_follows__check() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if NEW.follower_id = NEW.followee_id then
    raise exception 'You cannot follow yourself.' using errcode = 'SELFX', hint = 'Follow a DJ instead.';
  end if;
  if hidden.blocked_between(NEW.follower_id, NEW.followee_id) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('BLOCK', 'You cannot follow this user.', 'One of you has blocked the other.'),
      detail = hidden.api_response('BLOCK');
  end if;
  return NEW;
end
$$;

-- From 20261127190200_people-social-graph.sql.
create or replace function public.follow(p_user_id uuid) returns public.follows
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_row public.follows;
begin
  if not exists (select 1 from public.profiles as p where p.id = p_user_id) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such user.', 'Check the user id.'),
      detail = hidden.api_response('P0002');
  end if;
  insert into public.follows (follower_id, followee_id) values (v_uid, p_user_id)
  on conflict do nothing returning * into v_row;
  if v_row is null then  -- already following: idempotent
    select * into v_row from public.follows as f where f.follower_id = v_uid and f.followee_id = p_user_id;
  end if;
  return v_row;
end
$$;

-- From 20261127190200_people-social-graph.sql.
create or replace function public.block_user(p_user_id uuid) returns public.blocks
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_row public.blocks;
begin
  if not exists (select 1 from public.profiles as p where p.id = p_user_id) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such user.', 'Check the user id.'),
      detail = hidden.api_response('P0002');
  end if;
  insert into public.blocks (blocker_id, blocked_id) values (v_uid, p_user_id)
  on conflict do nothing returning * into v_row;
  if v_row is null then
    select * into v_row from public.blocks as b where b.blocker_id = v_uid and b.blocked_id = p_user_id;
  end if;
  return v_row;
end
$$;

-- From 20261203124944_people-guest-rules.sql.
create or replace function private.tg__guest_rule() returns trigger
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        format('Guests cannot %s.', TG_ARGV[1]),
        format('Sign in with a phone number, Apple or Google first (action: %s).', v_action)
      ),
      detail = hidden.api_response('ANONY');
  end if;
  v_capacity := (hidden.setting('anonymous_' || v_action || '_rate_capacity'))::integer;
  if v_capacity is not null then
    v_wait := hidden.take_token(v_uid, 'anonymous_' || v_action, v_capacity,
      (hidden.setting('anonymous_' || v_action || '_rate_per_second'))::double precision);
    if v_wait > 0 then
      raise sqlstate 'PGRST' using
        message = hidden.api_error(
          'RATEL',
          format('Guests can only %s now and then.', TG_ARGV[1]),
          'Try again later, or sign in with a phone number, Apple or Google.',
          json_build_object('retry_after_seconds', v_wait)::text
        ),
        detail = hidden.api_response('RATEL', v_wait);
    end if;
  end if;
  return NEW;
end
$$;

-- From 20261203125348_people-confusable-names.sql.
create or replace function private.tg_profiles__names() returns trigger
language plpgsql security definer
set search_path = ''
set enable_seqscan = off
as $$
declare
  v_sign_up boolean := TG_OP = 'INSERT';
  v_was text;
begin
  if v_sign_up or NEW.handle is distinct from OLD.handle then
    NEW.handle_skeleton := private.skeleton(NEW.handle);
    -- The same handle is not a look-alike: the unique constraint (TAKEN, or a sign-up's retry) handles it.
    if exists (
      select 1 from public.profiles as p
      where p.handle_skeleton = NEW.handle_skeleton and p.id <> NEW.id and p.handle <> NEW.handle
    )
      and not exists (select 1 from private.account_deletions as d where d.user_id = NEW.id) then
      if not v_sign_up then
        raise sqlstate 'PGRST' using
          message = hidden.api_error(
            'ALIKE',
            'That handle looks like another account''s.',
            'Pick a handle that does not imitate someone else''s.',
            json_build_object('column', 'handle')::text
          ),
          detail = hidden.api_response('ALIKE');
      end if;
      v_was := NEW.handle;
      NEW.handle := 'user_' || lpad((floor(random() * 1000000))::integer::text, 6, '0');
      NEW.handle_skeleton := private.skeleton(NEW.handle);
      if NEW.display_name = v_was then
        NEW.display_name := NEW.handle;
      end if;
    end if;
  end if;
  if v_sign_up or NEW.display_name is distinct from OLD.display_name or v_was is not null then
    NEW.display_name_skeleton := private.skeleton(NEW.display_name);
    if exists (
      select 1 from public.profiles as p
      where p.id <> NEW.id and (
        (p.display_name_skeleton = NEW.display_name_skeleton and p.display_name <> NEW.display_name)
        or (p.handle_skeleton = NEW.display_name_skeleton and p.handle <> NEW.display_name)
      )
    ) and not exists (select 1 from private.account_deletions as d where d.user_id = NEW.id) then
      if not v_sign_up then
        raise sqlstate 'PGRST' using
          message = hidden.api_error(
            'ALIKE',
            'That name looks like another account''s.',
            'Pick a name without look-alike letters or invisible characters that imitate someone else''s.',
            json_build_object('column', 'display_name')::text
          ),
          detail = hidden.api_response('ALIKE');
      end if;
      NEW.display_name := NEW.handle;
      NEW.display_name_skeleton := NEW.handle_skeleton;
    end if;
  end if;
  return NEW;
end
$$;
