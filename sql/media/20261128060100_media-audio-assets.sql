/*
 * media-audio-assets: what happens when a DJ's audio lands in Storage.
 *
 *   storage.objects (bucket audio) written  -> public.audio_assets row `queued`
 *                                             + job media:process_audio, same transaction
 *   worker                                   -> private.media_begin / media_progress /
 *                                               media_ready / media_failed
 *   every original (avatars, covers, audio)  -> private.media_backups row `pending`
 *                                             + job media:backup_object (a copy in R2)
 *
 * Jobs name the object, not a version: one waiting job covers any overwrites before it runs, and
 * one running job at a time per object (the job lock); each step checks the version it claimed.
 *
 * The uploader follows along on `user:<id>`: media.progress, then media.ready or media.failed;
 * the asset row (readable by the DJ) holds the same state for a phone that was away. Streaming
 * renditions live in the private bucket `audio-streams` under content-addressed keys
 * `<dj id>/<sha-256 of the rendition>.m4a`, readable by those who may hear the original.
 *
 * The triggers sit on storage.objects (Supabase lets the migration role put triggers there); their
 * functions are ours, in `private`, SECURITY DEFINER: the Storage server writes objects as the
 * uploader's role, which may not touch our tables or the job queue directly.
 */

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('audio-streams', 'audio-streams', false, 786432000, array['audio/mp4'])
on conflict (id) do update
set public = excluded.public, file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

create policy "The DJ, staff and the live room read a DJ's streams" on storage.objects
  for select to authenticated
  using (bucket_id = 'audio-streams' and (select hidden.may_hear_dj_audio((storage.foldername(name))[1])));

-- the asset: one per audio object ------------------------------------------------------------------

create type public.audio_status as enum ('queued', 'processing', 'ready', 'failed');
comment on type public.audio_status is
  'An uploaded set''s processing: queued (job waiting), processing, ready (playable), failed (see failure_code).';

create table public.audio_assets (
  object_id uuid primary key references storage.objects (id) on delete cascade,
  dj_id uuid not null references public.profiles (id) on delete cascade,
  path text not null,
  object_version text,
  status public.audio_status not null default 'queued',
  stage text check (stage in ('downloading', 'analysing', 'uploading')),
  progress smallint not null default 0 check (progress between 0 and 100),
  attempts smallint not null default 0,
  failure_code text check (failure_code in ('not_audio', 'corrupt', 'truncated', 'silent', 'too_long', 'unavailable')),
  failure_message text,
  size_bytes bigint,
  original_sha256 text check (original_sha256 ~ '^[0-9a-f]{64}$'),
  codec text,
  sample_rate integer,
  channels smallint,
  duration_s numeric(10, 3),
  loudness_lufs numeric(6, 2),
  true_peak_dbtp numeric(6, 2),
  waveform real[],
  stream_path text,
  stream_bitrate integer,
  stream_bytes bigint,
  processed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'failed') = (failure_code is not null)),
  check (status <> 'ready' or (stream_path is not null and duration_s is not null))
);
comment on table public.audio_assets is
  'A DJ''s uploaded audio (one row per object in the audio bucket): processing state, what the analysis measured, '
  'and the streaming rendition. Written only by the database''s media functions.';
comment on column public.audio_assets.object_id is 'The original: storage.objects.id in bucket audio.';
comment on column public.audio_assets.dj_id is 'Whose folder it is in (the uploader).';
comment on column public.audio_assets.path is 'The original''s path in bucket audio (`<dj id>/...`).';
comment on column public.audio_assets.object_version is
  'Storage''s version of the object processed; an overwrite starts again from queued.';
comment on column public.audio_assets.status is 'queued, processing, ready or failed.';
comment on column public.audio_assets.stage is 'While processing: downloading, analysing (decode, measure, encode) or uploading.';
comment on column public.audio_assets.progress is 'While processing: percent done, 0..100.';
comment on column public.audio_assets.attempts is 'Processing attempts started (a worker lost mid-way is retried).';
comment on column public.audio_assets.failure_code is
  'Why it failed, for the app to explain: not_audio, corrupt, truncated, silent, too_long, or unavailable '
  '(our side kept failing: upload it again later).';
comment on column public.audio_assets.failure_message is 'The failure in words (English, for support).';
comment on column public.audio_assets.size_bytes is 'Size of the original.';
comment on column public.audio_assets.original_sha256 is 'SHA-256 of the original (hex).';
comment on column public.audio_assets.codec is 'The original''s codec (FFmpeg name: mp3, aac, flac, opus, pcm_s16le...).';
comment on column public.audio_assets.sample_rate is 'The original''s sample rate (Hz).';
comment on column public.audio_assets.channels is 'The original''s channel count.';
comment on column public.audio_assets.duration_s is 'Duration decoded (seconds).';
comment on column public.audio_assets.loudness_lufs is 'Integrated loudness, ITU-R BS.1770-4 (LUFS).';
comment on column public.audio_assets.true_peak_dbtp is 'True peak, 4x oversampled (dBTP).';
comment on column public.audio_assets.waveform is 'Up to 1,000 peaks in 0..1, evenly spaced over the set, for the player.';
comment on column public.audio_assets.stream_path is
  'The rendition''s path in bucket audio-streams (`<dj id>/<sha-256>.m4a`, immutable): sign it to play.';
comment on column public.audio_assets.stream_bitrate is 'The rendition''s bitrate (bit/s; AAC-LC in MP4).';
comment on column public.audio_assets.stream_bytes is 'The rendition''s size.';
comment on column public.audio_assets.processed_at is 'When it became ready or failed.';
comment on column public.audio_assets.created_at is 'When the original was first uploaded.';
comment on column public.audio_assets.updated_at is 'Last change.';

create index audio_assets_dj_idx on public.audio_assets (dj_id, created_at desc);
create trigger audio_assets_timestamps before insert or update on public.audio_assets
  for each row execute function private.tg__timestamps();

alter table public.audio_assets enable row level security;
create policy "DJs see their uploads; those who may hear a DJ see their ready sets" on public.audio_assets
  for select to authenticated
  using (
    dj_id = (select auth.uid())
    or (status = 'ready' and (select hidden.may_hear_dj_audio(dj_id::text)))
  );
grant select on public.audio_assets to authenticated;
grant select on public.audio_assets to service_role;

-- the DJ's account export lists their uploads (the files themselves are theirs in Storage)
insert into private.export_sections (section, query) values
  ('audio_assets', 'select coalesce(json_agg(a order by a.created_at), ''[]'') '
    || 'from public.audio_assets as a where a.dj_id = $1');

-- backups: every original copied to R2 ----------------------------------------------------------

create table private.media_backups (
  object_id uuid primary key,
  bucket_id text not null,
  name text not null,
  object_version text,
  state text not null default 'pending' check (state in ('pending', 'copied', 'failed')),
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint,
  attempts integer not null default 0,
  last_error text,
  copied_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (bucket_id, name)
);
comment on table private.media_backups is
  'Each original''s copy in the R2 backup bucket (key `<bucket>/<name>`). Rows outlive deleted objects: '
  '`whatssound media verify` lists those copies.';
comment on column private.media_backups.object_id is 'storage.objects.id of the original (no foreign key: the row outlives it).';
comment on column private.media_backups.bucket_id is 'Storage bucket of the original.';
comment on column private.media_backups.name is 'Path of the original in its bucket.';
comment on column private.media_backups.object_version is 'Storage''s version of the object copied (or to copy).';
comment on column private.media_backups.state is 'pending (a job will copy it), copied (verified in R2), failed (retries exhausted).';
comment on column private.media_backups.sha256 is 'SHA-256 of the bytes copied (hex), checked against R2 after the copy.';
comment on column private.media_backups.size_bytes is 'Size of the bytes copied.';
comment on column private.media_backups.attempts is 'Copy attempts.';
comment on column private.media_backups.last_error is 'Last copy error, for operators.';
comment on column private.media_backups.copied_at is 'When the verified copy landed.';
comment on column private.media_backups.updated_at is 'Last change.';
alter table private.media_backups enable row level security;

-- the triggers on storage.objects ----------------------------------------------------------------

create function private.media_object_written() returns trigger
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_dj uuid;
begin
  insert into private.media_backups as b (object_id, bucket_id, name, object_version)
  values (NEW.id, NEW.bucket_id, NEW.name, NEW.version)
  on conflict (bucket_id, name) do update
  set object_id = excluded.object_id, object_version = excluded.object_version, state = 'pending',
    sha256 = null, size_bytes = null, attempts = 0, last_error = null, copied_at = null, updated_at = now();
  perform private.enqueue_job('media:backup_object', jsonb_build_object('object_id', NEW.id),
    'media', 'media:backup:' || NEW.id, 'media:backup:' || NEW.id);
  if NEW.bucket_id <> 'audio' then
    return null;
  end if;
  select p.id into v_dj from public.profiles as p where p.id::text = (storage.foldername(NEW.name))[1];
  if v_dj is null then
    return null;  -- not in a DJ's folder (an operator's upload with the service key): backed up, not processed
  end if;
  insert into public.audio_assets as a (object_id, dj_id, path, object_version)
  values (NEW.id, v_dj, NEW.name, NEW.version)
  on conflict (object_id) do update
  set path = excluded.path, object_version = excluded.object_version, status = 'queued', stage = null,
    progress = 0, attempts = 0, failure_code = null, failure_message = null, processed_at = null;
  perform private.enqueue_job('media:process_audio', jsonb_build_object('object_id', NEW.id),
    'media', 'media:process:' || NEW.id, 'media:process:' || NEW.id);
  perform private.rt_user_event(v_dj, 'media.progress', jsonb_build_object(
    'asset_id', NEW.id, 'path', NEW.name, 'status', 'queued', 'stage', null, 'progress', 0));
  return null;
end
$$;
comment on function private.media_object_written() is
  'After an object is written in avatars, covers or audio: queue its R2 backup; for audio in a DJ''s folder also '
  '(re)start the asset and queue its processing, and tell the uploader.';

create trigger media_object_inserted after insert on storage.objects
  for each row when (new.bucket_id in ('avatars', 'covers', 'audio'))
  execute function private.media_object_written();
create trigger media_object_replaced after update of version on storage.objects
  for each row when (new.bucket_id in ('avatars', 'covers', 'audio') and new.version is distinct from old.version)
  execute function private.media_object_written();
