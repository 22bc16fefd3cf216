-- FUNCTION: block_user(uuid)
CREATE FUNCTION public.block_user(p_user_id uuid) RETURNS public.blocks
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_row public.blocks;
begin
  if not exists (select 1 from public.profiles as p where p.id = p_user_id) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such user.', 'Check the user id.'),
      detail = hidden.api_response('P0002');
  end if;
  insert into public.blocks (blocker_id, blocked_id) values (v_uid, p_user_id)
  on conflict do nothing returning * into v_row;
  if v_row is null then
    select * into v_row from public.blocks as b where b.blocker_id = v_uid and b.blocked_id = p_user_id;
  end if;
  return v_row;
end
$$;

-- COMMENT: FUNCTION block_user(p_user_id uuid)
COMMENT ON FUNCTION public.block_user(p_user_id uuid) IS 'Block a user (idempotent): removes follows both ways; hides each other''s chat; they cannot join your sessions or mention you. Returns the block.
Errors: LOGIN; P0002 no such user; SELFX yourself.
Example: await supabase.rpc(''block_user'', { p_user_id: trollId })';

-- ACL: FUNCTION block_user(p_user_id uuid)
REVOKE ALL ON FUNCTION public.block_user(p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.block_user(p_user_id uuid) TO authenticated;
