-- FUNCTION: report_content(public.report_target, uuid, public.report_reason, text)
CREATE FUNCTION public.report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text DEFAULT ''::text) RETURNS uuid
    LANGUAGE sql
    SET search_path TO ''
    AS $$ select hidden.report_content(p_target_kind, p_target_id, p_reason, p_details) $$;

-- COMMENT: FUNCTION report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text)
COMMENT ON FUNCTION public.report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text) IS 'Report a message, user or session to WhatsSound staff. Idempotent while the report is open. Returns the report id. Guests may report once an hour.
Errors: LOGIN; ANONY guests may not report right now; P0002 nothing there; RATEL too many reports (details.retry_after_seconds).
Example: await supabase.rpc(''report_content'', { p_target_kind: ''message'', p_target_id: msgId, p_reason: ''spam'' })';

-- ACL: FUNCTION report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text)
REVOKE ALL ON FUNCTION public.report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text) TO authenticated;
