-- FUNCTION: tracks_to_verify(public.track_provider[], integer)
CREATE FUNCTION private.tracks_to_verify(p_providers public.track_provider[], p_limit integer) RETURNS TABLE(provider public.track_provider, provider_track_id text)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select distinct t.provider, t.provider_track_id
  from public.tracks as t
  where t.verified_at is null and t.provider = any(p_providers)
    and not exists (
      select 1 from private.track_checks as c
      where c.provider = t.provider and c.provider_track_id = t.provider_track_id and c.next_check_at > now()
    )
  limit p_limit
$$;

-- COMMENT: FUNCTION tracks_to_verify(p_providers public.track_provider[], p_limit integer)
COMMENT ON FUNCTION private.tracks_to_verify(p_providers public.track_provider[], p_limit integer) IS 'Provider ids with unverified rows that are due to be asked about, for the given providers (at most p_limit).';

-- ACL: FUNCTION tracks_to_verify(p_providers public.track_provider[], p_limit integer)
REVOKE ALL ON FUNCTION private.tracks_to_verify(p_providers public.track_provider[], p_limit integer) FROM PUBLIC;
