-- FUNCTION: my_moderated_dj_ids()
CREATE FUNCTION hidden.my_moderated_dj_ids() RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return query select m.dj_id from public.dj_moderators as m where m.user_id = auth.uid();
end
$$;

-- COMMENT: FUNCTION my_moderated_dj_ids()
COMMENT ON FUNCTION hidden.my_moderated_dj_ids() IS 'DJs whose sessions the caller moderates.';

-- ACL: FUNCTION my_moderated_dj_ids()
REVOKE ALL ON FUNCTION hidden.my_moderated_dj_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.my_moderated_dj_ids() TO authenticated;
GRANT ALL ON FUNCTION hidden.my_moderated_dj_ids() TO service_role;
