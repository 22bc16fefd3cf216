-- FUNCTION: report_content(public.report_target, uuid, public.report_reason, text)
CREATE FUNCTION hidden.report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_report public.reports;
  v_wait double precision;
begin
  v_report.target_kind := p_target_kind;
  if p_target_kind = 'message' then
    select c.id, c.author_id, c.session_id into v_report.target_message_id, v_report.target_user_id, v_report.target_session_id
    from public.chat_messages as c where c.id = p_target_id;
  elsif p_target_kind = 'user' then
    select p.id into v_report.target_user_id from public.profiles as p where p.id = p_target_id;
  else
    select s.id, s.dj_id into v_report.target_session_id, v_report.target_user_id
    from public.dj_sessions as s where s.id = p_target_id;
  end if;
  if coalesce(v_report.target_message_id, v_report.target_user_id, v_report.target_session_id) is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'Nothing to report there.', 'Check the target id and kind.'),
      detail = hidden.api_response('P0002');
  end if;
  select r.id into v_report.id from public.reports as r
  where r.reporter_id = v_uid and r.target_kind = p_target_kind and r.status = 'open'
    and coalesce(r.target_message_id, r.target_user_id, r.target_session_id) = p_target_id;
  if v_report.id is not null then
    return v_report.id;  -- already reported and still open: idempotent
  end if;
  v_wait := hidden.take_token(v_uid, 'report', (hidden.setting('report_rate_capacity'))::integer,
    (hidden.setting('report_rate_per_second'))::double precision);
  if v_wait > 0 then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'RATEL',
        'You have filed many reports recently.',
        'Try again later.',
        json_build_object('retry_after_seconds', v_wait)::text
      ),
      detail = hidden.api_response('RATEL', v_wait);
  end if;
  insert into public.reports (reporter_id, target_kind, target_user_id, target_session_id, target_message_id, reason, details)
  values (v_uid, p_target_kind, v_report.target_user_id, v_report.target_session_id, v_report.target_message_id,
    p_reason, left(coalesce(p_details, ''), 1000))
  returning id into v_report.id;
  return v_report.id;
end
$$;

-- COMMENT: FUNCTION report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text)
COMMENT ON FUNCTION hidden.report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text) IS 'Implementation of public.report_content (staff-only table, so a definer).';

-- ACL: FUNCTION report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text)
REVOKE ALL ON FUNCTION hidden.report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.report_content(p_target_kind public.report_target, p_target_id uuid, p_reason public.report_reason, p_details text) TO authenticated;
