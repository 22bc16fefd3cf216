/*
 * queue-requests-commit-like-votes: a song request commits without waiting for the WAL flush.
 *
 * A request is a vote for a track that is not queued yet (a request for a queued track already
 * is a vote, and votes commit asynchronously: 20261127200100). Waiting for the flush made every
 * request pay an fsync, which at 1,000 requests a second in one room was most of its latency
 * (make bench --suite reads). Now it commits like chat and votes: a database crash can lose the
 * last ~0.6 s of acknowledged requests (3 x wal_writer_delay), never corrupt or reorder anything;
 * the requester sees the queue without it on their next snapshot and can ask again. A request
 * that broadcasts (a push room, the staff lane) still commits synchronously: rt_broadcast turns
 * it back on, because Realtime decodes only flushed WAL. ADR 2026-12-02 "Requests commit like
 * votes" in docs/decisions.md.
 */

-- RPCs

create or replace function public.request_track(
  p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text,
  p_duration_ms integer, p_artwork_url text default null, p_explicit boolean default false
) returns public.request_result
language plpgsql volatile
set search_path = ''
as $$
begin
  perform set_config('synchronous_commit', 'off', true);  -- as a vote; a broadcast turns it back on
  return hidden.request_track(p_session_id, p_provider, p_provider_track_id, p_title, p_artist, p_duration_ms,
    p_artwork_url, p_explicit);
end
$$;
