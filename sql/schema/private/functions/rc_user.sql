-- FUNCTION: rc_user(jsonb)
CREATE FUNCTION private.rc_user(p_event jsonb) RETURNS uuid
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $_$
  select p.id
  from (
    select e.value as candidate, e.n from jsonb_array_elements_text(
      jsonb_build_array(p_event -> 'app_user_id', p_event -> 'original_app_user_id')
      || coalesce(p_event -> 'aliases', '[]')
    ) with ordinality as e(value, n)
  ) as c
  join public.profiles as p
    on c.candidate ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
    and p.id = c.candidate::uuid
  order by c.n
  limit 1
$_$;

-- COMMENT: FUNCTION rc_user(p_event jsonb)
COMMENT ON FUNCTION private.rc_user(p_event jsonb) IS 'Our user a RevenueCat event is about (app_user_id, original_app_user_id, aliases).';

-- ACL: FUNCTION rc_user(p_event jsonb)
REVOKE ALL ON FUNCTION private.rc_user(p_event jsonb) FROM PUBLIC;
