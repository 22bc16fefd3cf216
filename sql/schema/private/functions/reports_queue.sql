-- FUNCTION: reports_queue(public.report_status, integer)
CREATE FUNCTION private.reports_queue(p_status public.report_status, p_limit integer) RETURNS TABLE(id uuid, created_at timestamp with time zone, kind text, target uuid, reason text, details text, reporter text, reports_on_target bigint)
    LANGUAGE sql STABLE STRICT
    SET search_path TO ''
    AS $$
  select
    r.id, r.created_at, r.target_kind::text,
    coalesce(r.target_message_id, r.target_user_id, r.target_session_id), r.reason::text,
    left(r.details, 80), p.handle,
    count(*) over (partition by coalesce(r.target_message_id, r.target_user_id, r.target_session_id))
  from public.reports as r
  left join public.profiles as p on r.reporter_id = p.id
  where r.status = p_status
  order by r.created_at
  limit p_limit
$$;

-- COMMENT: FUNCTION reports_queue(p_status public.report_status, p_limit integer)
COMMENT ON FUNCTION private.reports_queue(p_status public.report_status, p_limit integer) IS 'Reports in one status, oldest first, with how many reports their target has (whatssound moderation reports).';

-- ACL: FUNCTION reports_queue(p_status public.report_status, p_limit integer)
REVOKE ALL ON FUNCTION private.reports_queue(p_status public.report_status, p_limit integer) FROM PUBLIC;
