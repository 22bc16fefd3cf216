-- FUNCTION: track_details_problem(public.track_provider, text, text, text, integer, text)
CREATE FUNCTION private.track_details_problem(p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  -- The same rules as public.tracks' check constraints, named for the app; artwork by provider.
  return case
    when p_provider is null then 'the provider is required'
    when p_provider_track_id is null or char_length(btrim(p_provider_track_id)) not between 1 and 200
      then 'the provider track id must be 1-200 characters'
    when p_title is null or char_length(btrim(p_title)) not between 1 and 200 then 'the title must be 1-200 characters'
    when p_artist is null or char_length(btrim(p_artist)) not between 1 and 200 then 'the artist must be 1-200 characters'
    when p_duration_ms is null or p_duration_ms not between 1000 and 10800000 then 'the duration must be 1 s to 3 h'
    else private.artwork_url_problem(p_provider, p_artwork_url)
  end;
end
$$;

-- COMMENT: FUNCTION track_details_problem(p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text)
COMMENT ON FUNCTION private.track_details_problem(p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text) IS 'What is wrong with a requested track''s details (null when nothing), checked before anything is written.';

-- ACL: FUNCTION track_details_problem(p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text)
REVOKE ALL ON FUNCTION private.track_details_problem(p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text) FROM PUBLIC;
