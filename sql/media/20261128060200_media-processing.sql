/*
 * media-processing: the worker's side of an upload, each step one short transaction.
 *
 *   private.media_begin(object)                claim the current version: -> processing (attempt + 1)
 *   private.media_progress(object, version, ..) stage and percent, told to the uploader
 *   private.media_ready(object, version, json)  the measurements and the rendition -> ready (once)
 *   private.media_failed(object, version, ..)   a clear failure for the uploader -> failed
 *   private.media_backup_begin / _done / _failed  the R2 copy of an original
 *
 * Every step after the claim names the version claimed: work on a version overwritten meanwhile
 * changes nothing (the overwrite queued the object again). A worker that dies mid-way leaves the asset `processing`; its job runs again (stalled-job
 * recovery) and begins again; only the first media_ready counts.
 */

create function private.media_event(p_asset public.audio_assets, p_event text) returns void
language sql volatile
set search_path = ''
as $$
  select private.rt_user_event(p_asset.dj_id, p_event, case p_event
    when 'media.progress' then jsonb_build_object(
      'asset_id', p_asset.object_id, 'path', p_asset.path, 'status', p_asset.status,
      'stage', p_asset.stage, 'progress', p_asset.progress)
    when 'media.ready' then jsonb_build_object(
      'asset_id', p_asset.object_id, 'path', p_asset.path, 'duration_s', p_asset.duration_s,
      'loudness_lufs', p_asset.loudness_lufs, 'true_peak_dbtp', p_asset.true_peak_dbtp,
      'stream_path', p_asset.stream_path, 'stream_bitrate', p_asset.stream_bitrate)
    when 'media.failed' then jsonb_build_object(
      'asset_id', p_asset.object_id, 'path', p_asset.path, 'code', p_asset.failure_code,
      'message', p_asset.failure_message)
  end)
$$;
comment on function private.media_event(public.audio_assets, text) is
  'Tell the uploader (user:<dj id>) about their asset: media.progress, media.ready or media.failed.';

create function private.media_begin(p_object_id uuid)
returns table (path text, dj_id uuid, object_version text, attempt integer)
language plpgsql volatile
set search_path = ''
as $$
declare
  v_asset public.audio_assets;
begin
  update public.audio_assets as a
  set status = 'processing', stage = 'downloading', progress = 0, attempts = a.attempts + 1
  where a.object_id = p_object_id and a.status in ('queued', 'processing')
  returning a.* into v_asset;
  if found then
    perform private.media_event(v_asset, 'media.progress');
    return query select v_asset.path, v_asset.dj_id, v_asset.object_version, v_asset.attempts::integer;
  end if;
end
$$;
comment on function private.media_begin(uuid) is
  'Start (or, after a lost worker, restart) processing the current version of an audio object; the steps after '
  'name the version returned. No row: nothing to do (deleted, or already finished).';

create function private.media_progress(p_object_id uuid, p_version text, p_stage text, p_progress integer)
returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_asset public.audio_assets;
begin
  update public.audio_assets as a set stage = p_stage, progress = least(greatest(p_progress, 0), 100)
  where a.object_id = p_object_id and a.object_version is not distinct from p_version and a.status = 'processing'
    and (a.stage, a.progress) is distinct from (p_stage, least(greatest(p_progress, 0), 100)::smallint)
  returning a.* into v_asset;
  if found then
    perform private.media_event(v_asset, 'media.progress');
  end if;
  return found;
end
$$;
comment on function private.media_progress(uuid, text, text, integer) is
  'Record and announce a processing stage and percent (no event when nothing changed).';

create function private.media_ready(p_object_id uuid, p_version text, p_result jsonb) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_asset public.audio_assets;
begin
  update public.audio_assets as a
  set status = 'ready', stage = null, progress = 100, processed_at = now(),
    size_bytes = (p_result ->> 'size_bytes')::bigint, original_sha256 = p_result ->> 'original_sha256',
    codec = p_result ->> 'codec', sample_rate = (p_result ->> 'sample_rate')::integer,
    channels = (p_result ->> 'channels')::smallint, duration_s = (p_result ->> 'duration_s')::numeric,
    loudness_lufs = (p_result ->> 'loudness_lufs')::numeric, true_peak_dbtp = (p_result ->> 'true_peak_dbtp')::numeric,
    waveform = array(select jsonb_array_elements_text(p_result -> 'waveform')::real),
    stream_path = p_result ->> 'stream_path', stream_bitrate = (p_result ->> 'stream_bitrate')::integer,
    stream_bytes = (p_result ->> 'stream_bytes')::bigint
  where a.object_id = p_object_id and a.object_version is not distinct from p_version and a.status = 'processing'
  returning a.* into v_asset;
  if found then
    perform private.media_event(v_asset, 'media.ready');
  end if;
  return found;
end
$$;
comment on function private.media_ready(uuid, text, jsonb) is
  'Store what processing measured and produced, and make the asset ready (once: false if it already was, or the '
  'object changed since).';

create function private.media_failed(p_object_id uuid, p_version text, p_code text, p_message text) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_asset public.audio_assets;
begin
  update public.audio_assets as a
  set status = 'failed', stage = null, failure_code = p_code, failure_message = left(p_message, 500), processed_at = now()
  where a.object_id = p_object_id and a.object_version is not distinct from p_version
    and a.status in ('queued', 'processing')
  returning a.* into v_asset;
  if found then
    perform private.media_event(v_asset, 'media.failed');
  end if;
  return found;
end
$$;
comment on function private.media_failed(uuid, text, text, text) is
  'End processing in a failure the uploader is shown (code and message); false if it had already ended.';

-- backups -------------------------------------------------------------------------------------------

create function private.media_backup_begin(p_object_id uuid)
returns table (bucket_id text, name text, object_version text)
language sql volatile
set search_path = ''
as $$
  update private.media_backups as b set attempts = b.attempts + 1, updated_at = now()
  where b.object_id = p_object_id and b.state <> 'copied'
  returning b.bucket_id, b.name, b.object_version
$$;
comment on function private.media_backup_begin(uuid) is
  'Start copying the current version of an original to R2; no row when there is nothing to do.';

create function private.media_backup_done(p_object_id uuid, p_version text, p_sha256 text, p_size bigint)
returns boolean
language sql volatile
set search_path = ''
as $$
  with done as (
    update private.media_backups as b
    set state = 'copied', sha256 = p_sha256, size_bytes = p_size, last_error = null, copied_at = now(), updated_at = now()
    where b.object_id = p_object_id and b.object_version is not distinct from p_version
    returning 1
  )
  select exists (select 1 from done)
$$;
comment on function private.media_backup_done(uuid, text, text, bigint) is
  'Record a verified copy in R2 (its SHA-256 and size).';

create function private.media_backup_failed(p_object_id uuid, p_version text, p_error text, p_final boolean)
returns void
language sql volatile
set search_path = ''
as $$
  update private.media_backups as b
  set last_error = left(p_error, 1000), state = case when p_final then 'failed' else b.state end, updated_at = now()
  where b.object_id = p_object_id and b.object_version is not distinct from p_version and b.state <> 'copied'
$$;
comment on function private.media_backup_failed(uuid, text, text, boolean) is
  'Record a failed copy attempt; the last one (p_final) marks the backup failed for operators.';

create view private.media_health with (security_invoker = true) as
select
  'asset' as kind,
  a.status::text as state,
  count(*) as items,
  extract(epoch from now() - min(a.updated_at)) as oldest_s
from public.audio_assets as a
group by a.status
union all
select
  'backup' as kind,
  b.state,
  count(*) as items,
  extract(epoch from now() - min(b.updated_at)) as oldest_s
from private.media_backups as b
group by b.state;
comment on view private.media_health is
  'Audio assets per status and backups per state, with how long the oldest has been in it (seconds).';
