-- FUNCTION: artwork_url_problem(public.track_provider, text)
CREATE FUNCTION private.artwork_url_problem(p_provider public.track_provider, p_url text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $_$
declare
  v_host text := lower(substring(p_url from '^https://([A-Za-z0-9.-]+)(?:[/?#]|$)'));
begin
  if p_url is null then
    return null;
  elsif char_length(p_url) > 2048 or v_host is null then
    return 'the artwork must be an https URL of at most 2048 characters, with a plain host name';
  elsif not exists (
    select 1 from jsonb_array_elements_text(hidden.setting('artwork_hosts') -> p_provider::text) as h(host)
    where v_host = h.host or (left(h.host, 1) = '.' and right(v_host, char_length(h.host)) = h.host)
  ) then
    return format('the artwork must come from %s''s image hosts', p_provider);
  end if;
  return null;
end
$_$;

-- COMMENT: FUNCTION artwork_url_problem(p_provider public.track_provider, p_url text)
COMMENT ON FUNCTION private.artwork_url_problem(p_provider public.track_provider, p_url text) IS 'What is wrong with an artwork URL for a provider (null when nothing): https, a plain host (no user, no port), one of the provider''s image hosts (setting artwork_hosts).';

-- ACL: FUNCTION artwork_url_problem(p_provider public.track_provider, p_url text)
REVOKE ALL ON FUNCTION private.artwork_url_problem(p_provider public.track_provider, p_url text) FROM PUBLIC;
