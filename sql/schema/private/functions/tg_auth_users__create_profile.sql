-- FUNCTION: tg_auth_users__create_profile()
CREATE FUNCTION private.tg_auth_users__create_profile() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_meta jsonb := coalesce(NEW.raw_user_meta_data, '{}');
begin
  perform private.insert_profile(
    NEW.id,
    coalesce(v_meta ->> 'handle', v_meta ->> 'user_name', v_meta ->> 'preferred_username',
      v_meta ->> 'full_name', v_meta ->> 'name', split_part(NEW.email, '@', 1)),
    coalesce(v_meta ->> 'display_name', v_meta ->> 'full_name', v_meta ->> 'name'),
    coalesce(v_meta ->> 'avatar_url', v_meta ->> 'picture'),
    NEW.is_anonymous
  );
  return null;
end
$$;

-- COMMENT: FUNCTION tg_auth_users__create_profile()
COMMENT ON FUNCTION private.tg_auth_users__create_profile() IS 'After a Supabase Auth sign-up: create the user''s profile (runs as supabase_auth_admin, hence definer).';

-- ACL: FUNCTION tg_auth_users__create_profile()
REVOKE ALL ON FUNCTION private.tg_auth_users__create_profile() FROM PUBLIC;
