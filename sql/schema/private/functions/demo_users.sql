-- FUNCTION: demo_users()
CREATE FUNCTION private.demo_users() RETURNS TABLE(display_name text, phone text)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select coalesce(u.raw_user_meta_data ->> 'display_name', ''), u.phone::text
  from auth.users as u
  where u.raw_app_meta_data ->> 'demo' = 'true'
  order by u.phone
$$;

-- COMMENT: FUNCTION demo_users()
COMMENT ON FUNCTION private.demo_users() IS 'The seeded demo users (app metadata demo = true; none outside local stacks): display name and phone, by phone (the banner of whatssound dev).';

-- ACL: FUNCTION demo_users()
REVOKE ALL ON FUNCTION private.demo_users() FROM PUBLIC;
