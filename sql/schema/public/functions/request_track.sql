-- FUNCTION: request_track(uuid, public.track_provider, text, text, text, integer, text, boolean)
CREATE FUNCTION public.request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text DEFAULT NULL::text, p_explicit boolean DEFAULT false) RETURNS public.request_result
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  perform set_config('synchronous_commit', 'off', true);  -- as a vote; a broadcast turns it back on
  return hidden.request_track(p_session_id, p_provider, p_provider_track_id, p_title, p_artist, p_duration_ms,
    p_artwork_url, p_explicit);
end
$$;

-- COMMENT: FUNCTION request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean)
COMMENT ON FUNCTION public.request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean) IS 'Request a track (identified by provider and provider id; the first request''s metadata is kept). If it is already queued or playing, this becomes your up vote for it (no duplicate). Your request counts as your up vote. Limits: open requests per listener (higher for subscribers), explicit and length rules of the session.
Errors: LOGIN; ANONY; P0002; ENDED; BANND; NOTIN; QLOCK; REQCL requests closed; NOEXP explicit; TOLNG too long; REJTD rejected tonight; QUOTA too many open requests (details.limit); 22023 bad details.
Example: await supabase.rpc(''request_track'', { p_session_id: id, p_provider: ''spotify'', p_provider_track_id: ''4uLU6hMCjMI75M1A2tKUQC'', p_title: ''Never Gonna Give You Up'', p_artist: ''Rick Astley'', p_duration_ms: 213000 })';

-- ACL: FUNCTION request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean)
REVOKE ALL ON FUNCTION public.request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION public.request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean) TO authenticated;
