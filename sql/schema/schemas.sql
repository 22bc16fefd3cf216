-- SCHEMA: hidden
CREATE SCHEMA hidden;

-- COMMENT: SCHEMA hidden
COMMENT ON SCHEMA hidden IS 'Helpers used by RLS policies: usable by the API roles, not exposed through PostgREST.';

-- SCHEMA: private
CREATE SCHEMA private;

-- COMMENT: SCHEMA private
COMMENT ON SCHEMA private IS 'Internals (security definer helpers, outbox, secrets); no API role has usage.';

-- SCHEMA: public
CREATE SCHEMA public;

-- COMMENT: SCHEMA public
COMMENT ON SCHEMA public IS 'standard public schema';

-- ACL: SCHEMA hidden
GRANT USAGE ON SCHEMA hidden TO anon;
GRANT USAGE ON SCHEMA hidden TO authenticated;
GRANT USAGE ON SCHEMA hidden TO service_role;

-- ACL: SCHEMA private
GRANT USAGE ON SCHEMA private TO supabase_auth_admin;

-- ACL: SCHEMA public
GRANT USAGE ON SCHEMA public TO postgres;
GRANT USAGE ON SCHEMA public TO anon;
GRANT USAGE ON SCHEMA public TO authenticated;
GRANT USAGE ON SCHEMA public TO service_role;
