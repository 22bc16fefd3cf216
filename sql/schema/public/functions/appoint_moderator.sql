-- FUNCTION: appoint_moderator(uuid)
CREATE FUNCTION public.appoint_moderator(p_user_id uuid) RETURNS public.dj_moderators
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_full_account('host');
  v_row public.dj_moderators;
begin
  insert into public.dj_moderators (dj_id, user_id) values (v_uid, p_user_id)
  on conflict do nothing returning * into v_row;
  if v_row is null then
    select * into v_row from public.dj_moderators as m where m.dj_id = v_uid and m.user_id = p_user_id;
  end if;
  return v_row;
exception
  when foreign_key_violation then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such user.', 'Check the user id.'),
      detail = hidden.api_response('P0002');
end
$$;

-- COMMENT: FUNCTION appoint_moderator(p_user_id uuid)
COMMENT ON FUNCTION public.appoint_moderator(p_user_id uuid) IS 'Make a user a moderator of all your sessions (idempotent). Returns the appointment.
Errors: LOGIN; ANONY; P0002 no such user; SELFX yourself.
Example: await supabase.rpc(''appoint_moderator'', { p_user_id: userId })';

-- ACL: FUNCTION appoint_moderator(p_user_id uuid)
REVOKE ALL ON FUNCTION public.appoint_moderator(p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.appoint_moderator(p_user_id uuid) TO authenticated;
