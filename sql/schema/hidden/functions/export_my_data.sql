-- FUNCTION: export_my_data()
CREATE FUNCTION hidden.export_my_data() RETURNS json
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_export jsonb := hidden.export_core()::jsonb;
  v_section private.export_sections;
  v_value json;
begin
  for v_section in select * from private.export_sections as s order by s.section loop
    execute v_section.query into v_value using hidden.require_user();
    v_export := v_export || jsonb_build_object(v_section.section, coalesce(v_value::jsonb, 'null'::jsonb));
  end loop;
  return v_export::json;
end
$$;

-- COMMENT: FUNCTION export_my_data()
COMMENT ON FUNCTION hidden.export_my_data() IS 'Implementation of export_my_data: the fixed sections plus the registered ones.';

-- ACL: FUNCTION export_my_data()
REVOKE ALL ON FUNCTION hidden.export_my_data() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.export_my_data() TO authenticated;
