-- FUNCTION: is_dj_self(text)
CREATE FUNCTION hidden.is_dj_self(p_folder text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select exists (
    select 1 from public.profiles as p where p.id = (select auth.uid()) and p.id::text = p_folder and p.is_dj
  )
$$;

-- COMMENT: FUNCTION is_dj_self(p_folder text)
COMMENT ON FUNCTION hidden.is_dj_self(p_folder text) IS 'Whether the folder is the caller''s own and the caller is a DJ.';

-- ACL: FUNCTION is_dj_self(p_folder text)
REVOKE ALL ON FUNCTION hidden.is_dj_self(p_folder text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.is_dj_self(p_folder text) TO authenticated;
