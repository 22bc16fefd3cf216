/*
 * Demo data for the local backend (`make dev`); never loaded into a hosted project.
 *
 * Users are created the way Supabase Auth creates phone sign-ups (an auth.users row and its
 * `phone` identity), with the fictional test numbers of config.toml's [auth.sms.test_otp], so
 * the app can sign in as any of them with the code 123456. Later domains add their demo rows
 * (a live session, chat, a queue) below.
 */
insert into auth.users (
  instance_id, id, aud, role, phone, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data,
  created_at, updated_at, last_sign_in_at
)
select
  '00000000-0000-0000-0000-000000000000'::uuid as instance_id,
  demo.id,
  'authenticated' as aud,
  'authenticated' as role,
  demo.phone,
  now() as phone_confirmed_at,
  jsonb_build_object(
    'provider', 'phone', 'providers', jsonb_build_array('phone'), 'demo', true
  ) as raw_app_meta_data,
  jsonb_build_object('display_name', demo.display_name) as raw_user_meta_data,
  now() as created_at,
  now() as updated_at,
  now() as last_sign_in_at
from (values
  ('d0000000-0000-4000-8000-000000000100'::uuid, '15555550100', 'DJ Nova'),
  ('d0000000-0000-4000-8000-000000000101'::uuid, '15555550101', 'Mod Max'),
  ('d0000000-0000-4000-8000-000000000102'::uuid, '15555550102', 'Listener Lia'),
  ('d0000000-0000-4000-8000-000000000103'::uuid, '15555550103', 'Listener Leo')
) as demo (id, phone, display_name)
on conflict (id) do nothing;

insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
select
  u.id::text as provider_id,
  u.id as user_id,
  jsonb_build_object(
    'sub', u.id::text, 'phone', u.phone, 'phone_verified', true, 'email_verified', false
  ) as identity_data,
  'phone' as provider,
  now() as created_at,
  now() as updated_at
from auth.users as u
where u.raw_app_meta_data ->> 'demo' = 'true'
on conflict (provider_id, provider) do nothing;

-- Profiles: readable handles, Nova is a DJ. -----------------------------------------------------
update public.profiles as p
set handle = demo.handle, bio = demo.bio, is_dj = demo.is_dj
from (values
  ('d0000000-0000-4000-8000-000000000100'::uuid, 'dj_nova', 'Deep house every Friday.', true),
  ('d0000000-0000-4000-8000-000000000101'::uuid, 'mod_max', 'Keeping it friendly.', false),
  ('d0000000-0000-4000-8000-000000000102'::uuid, 'lia', 'Here for the basslines.', false),
  ('d0000000-0000-4000-8000-000000000103'::uuid, 'leo', '', false)
) as demo (id, handle, bio, is_dj)
where p.id = demo.id;

insert into public.follows (follower_id, followee_id)
select
f.id,
'd0000000-0000-4000-8000-000000000100'::uuid
from (values
  ('d0000000-0000-4000-8000-000000000101'::uuid),
  ('d0000000-0000-4000-8000-000000000102'::uuid),
  ('d0000000-0000-4000-8000-000000000103'::uuid)
) as f (id);

insert into public.dj_moderators (dj_id, user_id) values
  ('d0000000-0000-4000-8000-000000000100', 'd0000000-0000-4000-8000-000000000101');

-- A live session everyone is in, and an upcoming one. -------------------------------------------
insert into public.dj_sessions (id, dj_id, title, description, genre_tags, status) values (
  'd5000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000100', 'Friday Deep House',
  'Warm-up into peak time. Requests open!', '{house,deep-house}', 'live'
);
insert into public.dj_sessions (dj_id, title, genre_tags, status, scheduled_for) values (
  'd0000000-0000-4000-8000-000000000100', 'Sunday Sunrise Set', '{ambient,downtempo}', 'scheduled',
  date_trunc('day', now()) + interval '2 days 6 hours'
);
insert into public.session_members (session_id, user_id, role)
select
  'd5000000-0000-4000-8000-000000000001'::uuid as session_id,
  m.id as user_id,
  m.role::public.member_role as role
from (values
  ('d0000000-0000-4000-8000-000000000100'::uuid, 'dj'),
  ('d0000000-0000-4000-8000-000000000101'::uuid, 'moderator'),
  ('d0000000-0000-4000-8000-000000000102'::uuid, 'listener'),
  ('d0000000-0000-4000-8000-000000000103'::uuid, 'listener')
) as m (id, role);
update public.dj_sessions set listener_count = 3, peak_listener_count = 3
where id = 'd5000000-0000-4000-8000-000000000001';

-- Chat, sent as each user so every chat rule and trigger applies. -------------------------------
do $seed$
declare
  v_line record;
begin
  for v_line in
    select * from (values
      (1, 'd0000000-0000-4000-8000-000000000100'::uuid, 'Welcome in! Drop your requests 🎧'),
      (2, 'd0000000-0000-4000-8000-000000000102'::uuid, 'this bassline 🔥🔥'),
      (3, 'd0000000-0000-4000-8000-000000000103'::uuid, 'hi from Lisbon! @dj_nova play something deep'),
      (4, 'd0000000-0000-4000-8000-000000000101'::uuid, 'Be kind, have fun. Requests go in the queue tab.')
    ) as c (n, author, body)
    order by c.n
  loop
    perform set_config('request.jwt.claims', json_build_object('sub', v_line.author, 'role', 'authenticated')::text,
      true);
    insert into public.chat_messages (id, session_id, body)
    values (gen_random_uuid(), 'd5000000-0000-4000-8000-000000000001', v_line.body);
  end loop;
  perform set_config('request.jwt.claims', '', true);
end
$seed$;

-- A lively queue: requests and votes through the real RPCs, as each user; one track playing. --------
do $seed_queue$
declare
  v_step record;
  v_item uuid;
begin
  for v_step in
    select * from (values
      (1, 'd0000000-0000-4000-8000-000000000102'::uuid, 'request', '0VjIjW4GlUZAMYd2vXMi3b', 'Blinding Lights', 'The Weeknd', 200040),
      (2, 'd0000000-0000-4000-8000-000000000103'::uuid, 'request', '6habFhsOp2NvshLv26DqMb', 'Despacito', 'Luis Fonsi', 229360),
      (3, 'd0000000-0000-4000-8000-000000000102'::uuid, 'request', '7qiZfU4dY1lWllzX7mPBI3', 'Shape of You', 'Ed Sheeran', 233712),
      (4, 'd0000000-0000-4000-8000-000000000103'::uuid, 'request', '3n3Ppam7vgaVa1iaRUc9Lp', 'Mr. Brightside', 'The Killers', 222075),
      (5, 'd0000000-0000-4000-8000-000000000101'::uuid, 'request', '0VjIjW4GlUZAMYd2vXMi3b', 'Blinding Lights', 'The Weeknd', 200040)
    ) as s (n, actor, action, track, title, artist, duration_ms)
    order by s.n
  loop
    perform set_config('request.jwt.claims', json_build_object('sub', v_step.actor, 'role', 'authenticated')::text,
      true);
    perform public.request_track('d5000000-0000-4000-8000-000000000001', 'spotify', v_step.track, v_step.title,
      v_step.artist, v_step.duration_ms);
  end loop;
  perform set_config('request.jwt.claims',
    json_build_object('sub', 'd0000000-0000-4000-8000-000000000100', 'role', 'authenticated')::text, true);
  perform public.control_queue('d5000000-0000-4000-8000-000000000001', 'advance');
  select q.id into v_item from public.queue_items as q
  where q.session_id = 'd5000000-0000-4000-8000-000000000001' and q.status = 'queued'
  order by q.rank_key desc, q.id desc limit 1;
  perform set_config('request.jwt.claims',
    json_build_object('sub', 'd0000000-0000-4000-8000-000000000102', 'role', 'authenticated')::text, true);
  perform public.cast_vote(v_item, 1);
  perform set_config('request.jwt.claims', '', true);
end
$seed_queue$;
