/*
 * media-buckets: where avatars, session covers and DJs' audio live, and who may touch them.
 *
 *   avatars, covers  public read (served by URL through the CDN); each user writes only their own
 *                    folder `<user id>/...`; images only, 5 / 10 MiB
 *   audio            private; DJs upload into their own folder; read (and so signed URLs, which
 *                    Storage only signs for callers allowed to SELECT) by the DJ, staff, and the
 *                    listeners of the DJ's live session; 750 MiB, audio types only
 *
 * Buckets are rows (data, not schema objects), upserted so a re-run keeps them in line; the
 * Storage server enforces size and MIME limits on upload. Policies are ours on storage.objects,
 * as Supabase documents (`guides/storage/security/access-control`).
 */

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('avatars', 'avatars', true, 5242880, array['image/jpeg', 'image/png', 'image/webp']),
  ('covers', 'covers', true, 10485760, array['image/jpeg', 'image/png', 'image/webp']),
  ('audio', 'audio', false, 786432000, array[
    'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/x-m4a', 'audio/wav', 'audio/x-wav', 'audio/flac',
    'audio/ogg', 'audio/opus', 'audio/webm'
  ])
on conflict (id) do update
set public = excluded.public, file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

create function hidden.may_hear_dj_audio(p_dj_folder text) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select (select auth.uid())::text = p_dj_folder
    or hidden.is_staff()
    or exists (
      select 1 from public.dj_sessions as s
      join public.session_members as m on m.session_id = s.id
      where s.dj_id::text = p_dj_folder and s.status = 'live'
        and m.user_id = (select auth.uid()) and m.left_at is null
    )
$$;
comment on function hidden.may_hear_dj_audio(text) is
  'Whether the caller may read audio in a DJ''s folder: the DJ, staff, or a present listener of their live session.';
grant execute on function hidden.may_hear_dj_audio(text) to authenticated;

create function hidden.is_dj_self(p_folder text) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.profiles as p where p.id = (select auth.uid()) and p.id::text = p_folder and p.is_dj
  )
$$;
comment on function hidden.is_dj_self(text) is 'Whether the folder is the caller''s own and the caller is a DJ.';
grant execute on function hidden.is_dj_self(text) to authenticated;

-- avatars and covers: everyone reads (public buckets); owners write their own folder ------------

create policy "Anyone reads avatars and covers" on storage.objects
  for select to anon, authenticated using (bucket_id in ('avatars', 'covers'));
create policy "Users upload their own avatars and covers" on storage.objects
  for insert to authenticated
  with check (bucket_id in ('avatars', 'covers') and (storage.foldername(name))[1] = (select auth.uid()::text));
create policy "Users replace their own avatars and covers" on storage.objects
  for update to authenticated
  using (bucket_id in ('avatars', 'covers') and (storage.foldername(name))[1] = (select auth.uid()::text))
  with check (bucket_id in ('avatars', 'covers') and (storage.foldername(name))[1] = (select auth.uid()::text));
create policy "Users delete their own avatars and covers" on storage.objects
  for delete to authenticated
  using (bucket_id in ('avatars', 'covers') and (storage.foldername(name))[1] = (select auth.uid()::text));

-- audio: DJs write their own folder; the DJ, staff and the live room read ---------------------

create policy "DJs upload audio to their own folder" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'audio' and (select hidden.is_dj_self((storage.foldername(name))[1])));
create policy "DJs replace their own audio" on storage.objects
  for update to authenticated
  using (bucket_id = 'audio' and (select hidden.is_dj_self((storage.foldername(name))[1])))
  with check (bucket_id = 'audio' and (select hidden.is_dj_self((storage.foldername(name))[1])));
create policy "DJs delete their own audio" on storage.objects
  for delete to authenticated
  using (bucket_id = 'audio' and (select hidden.is_dj_self((storage.foldername(name))[1])));
create policy "The DJ, staff and the live room read a DJ's audio" on storage.objects
  for select to authenticated
  using (bucket_id = 'audio' and (select hidden.may_hear_dj_audio((storage.foldername(name))[1])));
