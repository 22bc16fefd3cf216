-- FUNCTION: verify_moderation_log(uuid)
CREATE FUNCTION public.verify_moderation_log(p_dj_id uuid DEFAULT NULL::uuid) RETURNS public.chain_verification
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_chain uuid := coalesce(p_dj_id, '00000000-0000-0000-0000-000000000000');
  v_entry public.moderation_log;
  v_prev public.moderation_log;
  v_count bigint := 0;
begin
  if not (hidden.is_staff() or (p_dj_id is not null and hidden.can_moderate_dj(p_dj_id))) then
    raise exception 'Only the DJ, their moderators and staff can verify this log.'
      using errcode = '42501', hint = 'Pass your own DJ id.';
  end if;
  for v_entry in
    select * from public.moderation_log as l where l.chain_id = v_chain order by l.seq
  loop
    v_count := v_count + 1;
    if v_entry.seq <> v_count or v_entry.prev_hash is distinct from v_prev.hash
      or v_entry.hash <> hidden.moderation_hash(v_entry) then
      return (false, v_count, v_count)::public.chain_verification;
    end if;
    v_prev := v_entry;
  end loop;
  return (true, v_count, null)::public.chain_verification;
end
$$;

-- COMMENT: FUNCTION verify_moderation_log(p_dj_id uuid)
COMMENT ON FUNCTION public.verify_moderation_log(p_dj_id uuid) IS 'Recompute a DJ''s moderation-log hash chain (platform chain when p_dj_id is omitted; staff only). Returns {ok, entries, first_bad_seq}: ok=false names the first entry that was altered, removed or inserted.
Errors: 42501.
Example: const { data } = await supabase.rpc(''verify_moderation_log'', { p_dj_id: myId })';

-- ACL: FUNCTION verify_moderation_log(p_dj_id uuid)
REVOKE ALL ON FUNCTION public.verify_moderation_log(p_dj_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.verify_moderation_log(p_dj_id uuid) TO authenticated;
