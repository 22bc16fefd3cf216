/*
 * people-social-graph: follows and blocks.
 *
 * Follows drive "DJ went live" notifications and followers-only rooms; follower counts on
 * profiles are kept exact by triggers (the followee's profile row is locked per change, so
 * concurrent follows never lose an update). A block is private to the blocker and, in both
 * directions, hides chat, prevents following and mentions, and keeps the blocked user out of
 * the blocker's sessions.
 */

-- follows --------------------------------------------------------------------------------------

create table public.follows (
  follower_id uuid not null references public.profiles (id) on delete cascade,
  followee_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (follower_id, followee_id),
  check (follower_id <> followee_id)
);
comment on table public.follows is 'Who follows whom. Users see the follows they are part of.';
comment on column public.follows.follower_id is 'The user who follows.';
comment on column public.follows.followee_id is 'The user (usually a DJ) being followed.';
comment on column public.follows.created_at is 'Since when (followers-only chat checks a minimum follow age).';
create index follows_followee_idx on public.follows (followee_id, created_at);
alter table public.follows enable row level security;
create policy "Users can see follows they are part of" on public.follows
  for select to authenticated
  using (follower_id = (select auth.uid()) or followee_id = (select auth.uid()));
create policy "Users can follow as themselves" on public.follows
  for insert to authenticated with check (follower_id = (select auth.uid()));
create policy "Users can unfollow" on public.follows
  for delete to authenticated using (follower_id = (select auth.uid()));
grant select, delete on public.follows to authenticated;
grant insert (follower_id, followee_id) on public.follows to authenticated;

-- blocks ---------------------------------------------------------------------------------------

create table public.blocks (
  blocker_id uuid not null references public.profiles (id) on delete cascade,
  blocked_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (blocker_id, blocked_id),
  check (blocker_id <> blocked_id)
);
comment on table public.blocks is 'Blocks. Private: only the blocker sees them.';
comment on column public.blocks.blocker_id is 'Who blocks.';
comment on column public.blocks.blocked_id is 'Who is blocked.';
comment on column public.blocks.created_at is 'When.';
create index blocks_blocked_idx on public.blocks (blocked_id);
alter table public.blocks enable row level security;
create policy "Users can see their own blocks" on public.blocks
  for select to authenticated using (blocker_id = (select auth.uid()));
create policy "Users can block as themselves" on public.blocks
  for insert to authenticated with check (blocker_id = (select auth.uid()));
create policy "Users can unblock" on public.blocks
  for delete to authenticated using (blocker_id = (select auth.uid()));
grant select, delete on public.blocks to authenticated;
grant insert (blocker_id, blocked_id) on public.blocks to authenticated;

-- helpers --------------------------------------------------------------------------------------

create function hidden.blocked_between(p_a uuid, p_b uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.blocks as b
    where (b.blocker_id = p_a and b.blocked_id = p_b) or (b.blocker_id = p_b and b.blocked_id = p_a)
  )
$$;
comment on function hidden.blocked_between(uuid, uuid) is 'Whether either user blocked the other.';
grant execute on function hidden.blocked_between(uuid, uuid) to authenticated, service_role;

create function hidden.my_block_peers() returns setof uuid
language sql stable security definer
set search_path = ''
as $$
  select b.blocked_id from public.blocks as b where b.blocker_id = auth.uid()
  union
  select b.blocker_id from public.blocks as b where b.blocked_id = auth.uid()
$$;
comment on function hidden.my_block_peers() is
  'Users the caller blocked or who blocked the caller (for RLS: use as array(select ...)).';
grant execute on function hidden.my_block_peers() to anon, authenticated, service_role;

-- triggers -------------------------------------------------------------------------------------

create function private.tg_follows__check() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if NEW.follower_id = NEW.followee_id then
    raise exception 'You cannot follow yourself.' using errcode = 'SELFX', hint = 'Follow a DJ instead.';
  end if;
  if hidden.blocked_between(NEW.follower_id, NEW.followee_id) then
    raise exception 'You cannot follow this user.'
      using errcode = 'BLOCK', hint = 'One of you has blocked the other.';
  end if;
  return NEW;
end
$$;
comment on function private.tg_follows__check() is 'Before a follow: refuse self-follows and blocked pairs.';
create trigger _100_check before insert on public.follows
  for each row execute function private.tg_follows__check();

create function private.tg_follows__count() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_delta integer := case when TG_OP = 'INSERT' then 1 else -1 end;
  v_row public.follows := case when TG_OP = 'INSERT' then NEW else OLD end;
begin
  -- Lock order: followee first, then follower, by id, so crossed follows cannot deadlock.
  update public.profiles as p
  set follower_count = p.follower_count + case when p.id = v_row.followee_id then v_delta else 0 end,
    following_count = p.following_count + case when p.id = v_row.follower_id then v_delta else 0 end
  where p.id in (v_row.followee_id, v_row.follower_id);
  if TG_OP = 'INSERT' then
    perform private.notify(
      v_row.followee_id, 'new_follower', 'new_follower:' || v_row.follower_id, v_row.follower_id
    );
  end if;
  return null;
end
$$;
comment on function private.tg_follows__count() is
  'After a follow or unfollow: adjust both profiles'' counts exactly, and notify a new follower once.';
create trigger _500_count after insert or delete on public.follows
  for each row execute function private.tg_follows__count();

create function private.tg_blocks__sever() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if NEW.blocker_id = NEW.blocked_id then
    raise exception 'You cannot block yourself.' using errcode = 'SELFX', hint = 'Block another user.';
  end if;
  delete from public.follows as f
  where (f.follower_id = NEW.blocker_id and f.followee_id = NEW.blocked_id)
    or (f.follower_id = NEW.blocked_id and f.followee_id = NEW.blocker_id);
  return NEW;
end
$$;
comment on function private.tg_blocks__sever() is 'Before a block: remove follows in both directions.';
create trigger _100_sever before insert on public.blocks
  for each row execute function private.tg_blocks__sever();

-- RPCs -----------------------------------------------------------------------------------------

create function public.follow(p_user_id uuid) returns public.follows
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_row public.follows;
begin
  if not exists (select 1 from public.profiles as p where p.id = p_user_id) then
    raise exception 'No such user.' using errcode = 'P0002', hint = 'Check the user id.';
  end if;
  insert into public.follows (follower_id, followee_id) values (v_uid, p_user_id)
  on conflict do nothing returning * into v_row;
  if v_row is null then  -- already following: idempotent
    select * into v_row from public.follows as f where f.follower_id = v_uid and f.followee_id = p_user_id;
  end if;
  return v_row;
end
$$;
comment on function public.follow(uuid) is
  E'Follow a user (idempotent). Returns the follow.\n'
  'Errors: LOGIN; P0002 no such user; SELFX yourself; BLOCK one of you blocked the other.\n'
  'Example: await supabase.rpc(''follow'', { p_user_id: djId })';
grant execute on function public.follow(uuid) to authenticated;

create function public.unfollow(p_user_id uuid) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
begin
  delete from public.follows as f where f.follower_id = v_uid and f.followee_id = p_user_id;
  return found;
end
$$;
comment on function public.unfollow(uuid) is
  E'Stop following a user (idempotent). Returns whether a follow was removed.\n'
  'Errors: LOGIN.\n'
  'Example: await supabase.rpc(''unfollow'', { p_user_id: djId })';
grant execute on function public.unfollow(uuid) to authenticated;

create function public.block_user(p_user_id uuid) returns public.blocks
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_row public.blocks;
begin
  if not exists (select 1 from public.profiles as p where p.id = p_user_id) then
    raise exception 'No such user.' using errcode = 'P0002', hint = 'Check the user id.';
  end if;
  insert into public.blocks (blocker_id, blocked_id) values (v_uid, p_user_id)
  on conflict do nothing returning * into v_row;
  if v_row is null then
    select * into v_row from public.blocks as b where b.blocker_id = v_uid and b.blocked_id = p_user_id;
  end if;
  return v_row;
end
$$;
comment on function public.block_user(uuid) is
  E'Block a user (idempotent): removes follows both ways; hides each other''s chat; they cannot join your '
  'sessions or mention you. Returns the block.\n'
  'Errors: LOGIN; P0002 no such user; SELFX yourself.\n'
  'Example: await supabase.rpc(''block_user'', { p_user_id: trollId })';
grant execute on function public.block_user(uuid) to authenticated;

create function public.unblock_user(p_user_id uuid) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
begin
  delete from public.blocks as b where b.blocker_id = v_uid and b.blocked_id = p_user_id;
  return found;
end
$$;
comment on function public.unblock_user(uuid) is
  E'Remove a block (idempotent). Returns whether one was removed. Follows are not restored.\n'
  'Errors: LOGIN.\n'
  'Example: await supabase.rpc(''unblock_user'', { p_user_id: userId })';
grant execute on function public.unblock_user(uuid) to authenticated;
