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
  'authenticated' as role,  -- noqa: RF04
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
  'phone' as provider,  -- noqa: RF04
  now() as created_at,
  now() as updated_at
from auth.users as u
where u.raw_app_meta_data ->> 'demo' = 'true'
on conflict (provider_id, provider) do nothing;
