-- FUNCTION: resolve_report(uuid, public.report_status, text)
CREATE FUNCTION public.resolve_report(p_report_id uuid, p_status public.report_status, p_note text DEFAULT NULL::text) RETURNS public.reports
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.reports;
begin
  perform hidden.require_user();
  update public.reports as r set status = p_status, resolution_note = p_note where r.id = p_report_id
  returning * into v_row;
  if v_row is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such report (or you are not staff).', 'Staff only.'),
      detail = hidden.api_response('P0002');
  end if;
  return v_row;
end
$$;

-- COMMENT: FUNCTION resolve_report(p_report_id uuid, p_status public.report_status, p_note text)
COMMENT ON FUNCTION public.resolve_report(p_report_id uuid, p_status public.report_status, p_note text) IS 'Close a report as actioned or dismissed, with a note (staff only; logged). Returns the report.
Errors: LOGIN; P0002 no such report or not staff; STATE reopening.
Example: await supabase.rpc(''resolve_report'', { p_report_id: id, p_status: ''actioned'', p_note: ''banned'' })';

-- ACL: FUNCTION resolve_report(p_report_id uuid, p_status public.report_status, p_note text)
REVOKE ALL ON FUNCTION public.resolve_report(p_report_id uuid, p_status public.report_status, p_note text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.resolve_report(p_report_id uuid, p_status public.report_status, p_note text) TO authenticated;
