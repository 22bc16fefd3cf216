-- FUNCTION: setting_row(text)
CREATE FUNCTION private.setting_row(p_key text) RETURNS private.setting_values
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_row private.setting_values;
begin
  select v.* into v_row from private.setting_values as v where v.key = p_key;
  if not found then
    raise exception 'There is no setting %.', coalesce(quote_literal(p_key), 'null')
      using errcode = '22023', hint = 'whatssound settings list shows every setting.';
  end if;
  return v_row;
end
$$;

-- COMMENT: FUNCTION setting_row(p_key text)
COMMENT ON FUNCTION private.setting_row(p_key text) IS 'One setting''s row of private.setting_values; an unknown key is refused (22023).';

-- ACL: FUNCTION setting_row(p_key text)
REVOKE ALL ON FUNCTION private.setting_row(p_key text) FROM PUBLIC;
