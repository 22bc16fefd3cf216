-- FUNCTION: record_track_check(public.track_provider, text, text, interval)
CREATE FUNCTION private.record_track_check(p_provider public.track_provider, p_provider_track_id text, p_outcome text, p_retry_after interval DEFAULT NULL::interval) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  insert into private.track_checks as c (provider, provider_track_id, outcome, next_check_at)
  values (p_provider, p_provider_track_id, p_outcome, now() + coalesce(p_retry_after,
    make_interval(days => (hidden.setting('catalogue_recheck_days'))::integer)))
  on conflict (provider, provider_track_id) do update
  set outcome = excluded.outcome, attempts = c.attempts + 1, checked_at = now(), next_check_at = excluded.next_check_at;
end
$$;

-- COMMENT: FUNCTION record_track_check(p_provider public.track_provider, p_provider_track_id text, p_outcome text, p_retry_after interval)
COMMENT ON FUNCTION private.record_track_check(p_provider public.track_provider, p_provider_track_id text, p_outcome text, p_retry_after interval) IS 'Record what the provider said about an id; asked again after p_retry_after (default catalogue_recheck_days).';

-- ACL: FUNCTION record_track_check(p_provider public.track_provider, p_provider_track_id text, p_outcome text, p_retry_after interval)
REVOKE ALL ON FUNCTION private.record_track_check(p_provider public.track_provider, p_provider_track_id text, p_outcome text, p_retry_after interval) FROM PUBLIC;
