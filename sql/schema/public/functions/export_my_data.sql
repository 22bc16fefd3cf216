-- FUNCTION: export_my_data()
CREATE FUNCTION public.export_my_data() RETURNS json
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$ select hidden.export_my_data() $$;

-- COMMENT: FUNCTION export_my_data()
COMMENT ON FUNCTION public.export_my_data() IS 'Everything WhatsSound holds about you, as one JSON document (format whatssound-export/1): account, profile, follows, blocks, sessions, memberships, chat, requests, votes, playlists, feed, moderation you received or took, reports you filed, SMS sent to you (never the codes) and your recent personal events.
Errors: 42501 (HTTP 401) without a signed-in user.
Example: const { data } = await supabase.rpc(''export_my_data'')';

-- ACL: FUNCTION export_my_data()
REVOKE ALL ON FUNCTION public.export_my_data() FROM PUBLIC;
GRANT ALL ON FUNCTION public.export_my_data() TO authenticated;
