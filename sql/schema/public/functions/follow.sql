-- FUNCTION: follow(uuid)
CREATE FUNCTION public.follow(p_user_id uuid) RETURNS public.follows
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_row public.follows;
begin
  if not exists (select 1 from public.profiles as p where p.id = p_user_id) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such user.', 'Check the user id.'),
      detail = hidden.api_response('P0002');
  end if;
  insert into public.follows (follower_id, followee_id) values (v_uid, p_user_id)
  on conflict do nothing returning * into v_row;
  if v_row is null then  -- already following: idempotent
    select * into v_row from public.follows as f where f.follower_id = v_uid and f.followee_id = p_user_id;
  end if;
  return v_row;
end
$$;

-- COMMENT: FUNCTION follow(p_user_id uuid)
COMMENT ON FUNCTION public.follow(p_user_id uuid) IS 'Follow a user (idempotent). Returns the follow. Guests (anonymous sign-ins) cannot follow.
Errors: LOGIN; ANONY guest; P0002 no such user; SELFX yourself; BLOCK one of you blocked the other.
Example: await supabase.rpc(''follow'', { p_user_id: djId })';

-- ACL: FUNCTION follow(p_user_id uuid)
REVOKE ALL ON FUNCTION public.follow(p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.follow(p_user_id uuid) TO authenticated;
