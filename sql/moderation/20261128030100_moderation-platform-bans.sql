/*
 * moderation-platform-bans: staff ban a user from the whole platform (the admin CLI).
 *
 * The ban is Supabase Auth's own: auth.users.banned_until, which makes Auth refuse the user's
 * sign-ins and token refreshes. Access tokens already issued stay valid until they expire (at
 * most jwt_expiry, 1 h), so every RPC also refuses banned users at once, through
 * hidden.require_user. The user leaves the rooms they are in. private.platform_bans keeps the
 * audit trail (who was banned, why, when lifted).
 */

create table private.platform_bans (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  reason text not null check (char_length(reason) between 1 and 500),
  banned_at timestamptz not null default now(),
  lifted_at timestamptz
);
comment on table private.platform_bans is 'Audit trail of platform bans (the ban itself is auth.users.banned_until).';
comment on column private.platform_bans.id is 'Order recorded.';
comment on column private.platform_bans.user_id is 'Who was banned.';
comment on column private.platform_bans.reason is 'Why (operator''s words).';
comment on column private.platform_bans.banned_at is 'When.';
comment on column private.platform_bans.lifted_at is 'When it was lifted, if it was.';
create index platform_bans_user_idx on private.platform_bans (user_id) where lifted_at is null;
alter table private.platform_bans enable row level security;
-- NOTE: no policies and no grants: staff tooling only.

create function hidden.is_platform_banned(p_user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select coalesce((select u.banned_until > now() from auth.users as u where u.id = p_user_id), false)
$$;
comment on function hidden.is_platform_banned(uuid) is 'Whether Supabase Auth bans this user right now (banned_until).';
grant execute on function hidden.is_platform_banned(uuid) to anon, authenticated, service_role;

create or replace function hidden.require_user() returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    raise exception 'You need to be signed in to do that.'
      using errcode = 'LOGIN', hint = 'Sign in (an anonymous sign-in is enough to listen).';
  elsif hidden.is_platform_banned(v_uid) then
    raise exception 'This account is suspended.' using errcode = 'SUSPD', hint = 'Contact support.';
  end if;
  return v_uid;
end
$$;
comment on function hidden.require_user() is
  'The caller''s user id; raises LOGIN for requests without a user and SUSPD for suspended accounts.';

create function private.platform_ban(p_user_id uuid, p_reason text) returns boolean
language plpgsql volatile
set search_path = ''
as $$
begin
  update auth.users as u set banned_until = 'infinity' where u.id = p_user_id;
  if not found then
    return false;
  end if;
  insert into private.platform_bans (user_id, reason) values (p_user_id, left(btrim(p_reason), 500));
  update public.session_members as m set left_at = now() where m.user_id = p_user_id and m.left_at is null;
  return true;
end
$$;
comment on function private.platform_ban(uuid, text) is
  'Suspend a user everywhere (Auth refuses them, every RPC refuses them, they leave their rooms); false if unknown.';

create function private.platform_unban(p_user_id uuid) returns boolean
language plpgsql volatile
set search_path = ''
as $$
begin
  update auth.users as u set banned_until = null where u.id = p_user_id and u.banned_until is not null;
  if not found then
    return false;
  end if;
  update private.platform_bans as b set lifted_at = now() where b.user_id = p_user_id and b.lifted_at is null;
  return true;
end
$$;
comment on function private.platform_unban(uuid) is 'Lift a platform suspension; false if the user was not suspended.';
