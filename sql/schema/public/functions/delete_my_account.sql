-- FUNCTION: delete_my_account()
CREATE FUNCTION public.delete_my_account() RETURNS json
    LANGUAGE sql
    SET search_path TO ''
    AS $$ select hidden.delete_my_account() $$;

-- COMMENT: FUNCTION delete_my_account()
COMMENT ON FUNCTION public.delete_my_account() IS 'Delete your account: at once your profile becomes "Deleted user" and your follows, blocks, memberships, votes, playlists, feed and entitlements are removed; within seconds the service erases the rest and the sign-in itself (then sign out). Idempotent: {status: ''scheduled'', requested_at}. Cancel store subscriptions first (the stores bill them, not us).
Errors: 42501 (HTTP 401) without a signed-in user.
Example: const { data } = await supabase.rpc(''delete_my_account''); await supabase.auth.signOut()';

-- ACL: FUNCTION delete_my_account()
REVOKE ALL ON FUNCTION public.delete_my_account() FROM PUBLIC;
GRANT ALL ON FUNCTION public.delete_my_account() TO authenticated;
