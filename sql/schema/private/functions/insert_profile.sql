-- FUNCTION: insert_profile(uuid, text, text, text, boolean)
CREATE FUNCTION private.insert_profile(p_id uuid, p_handle_hint text, p_display_name text, p_avatar_url text, p_anonymous boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_base text := trim(both '_' from private.handle_base(p_handle_hint));
  v_candidate text;
  v_attempt integer := 0;
begin
  if p_anonymous then
    v_base := 'guest';
  elsif char_length(v_base) < 3 then
    v_base := 'user';
  end if;
  loop
    v_candidate := case
      when v_attempt = 0 and not p_anonymous and v_base <> 'user' then v_base
      else v_base || '_' || lpad((floor(random() * 1000000))::integer::text, 6, '0')
    end;
    insert into public.profiles (id, handle, display_name, avatar_url)
    values (
      p_id, v_candidate, left(coalesce(nullif(btrim(p_display_name), ''), v_candidate), 50),
      case when p_avatar_url ~ '^https://' then left(p_avatar_url, 2048) end
    )
    on conflict (handle) do nothing;
    exit when found;
    v_attempt := v_attempt + 1;
    if v_attempt > 20 then
      raise sqlstate 'PGRST' using
        message = hidden.api_error(
          'TAKEN',
          format('Could not find a free handle for %s.', v_base),
          'Offer a more distinctive handle in the sign-up metadata.'
        ),
        detail = hidden.api_response('TAKEN');
    end if;
  end loop;
end
$$;

-- COMMENT: FUNCTION insert_profile(p_id uuid, p_handle_hint text, p_display_name text, p_avatar_url text, p_anonymous boolean)
COMMENT ON FUNCTION private.insert_profile(p_id uuid, p_handle_hint text, p_display_name text, p_avatar_url text, p_anonymous boolean) IS 'Create a profile with the first free handle derived from a hint (random suffix on collision).';

-- ACL: FUNCTION insert_profile(p_id uuid, p_handle_hint text, p_display_name text, p_avatar_url text, p_anonymous boolean)
REVOKE ALL ON FUNCTION private.insert_profile(p_id uuid, p_handle_hint text, p_display_name text, p_avatar_url text, p_anonymous boolean) FROM PUBLIC;
