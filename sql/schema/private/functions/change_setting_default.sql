-- FUNCTION: change_setting_default(text, jsonb, text)
CREATE FUNCTION private.change_setting_default(p_key text, p_default jsonb, p_description text DEFAULT NULL::text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row private.setting_values := private.setting_row(p_key);
begin
  if jsonb_typeof(p_default) is distinct from jsonb_typeof(v_row.default_value) then
    raise exception 'The default of % is a JSON %, not %.', p_key, jsonb_typeof(v_row.default_value),
      coalesce(jsonb_typeof(p_default), 'null')
      using errcode = '22023', hint = 'A setting of another type is a new key.';
  end if;
  update private.settings as s
  set default_value = p_default, value = coalesce(v_row.override_value, p_default),
    description = coalesce(p_description, s.description)
  where s.key = p_key;
  if p_default is distinct from v_row.default_value then
    insert into private.setting_changes (key, change, previous_value, new_value, changed_by, reason)
    values (p_key, 'default', v_row.default_value, p_default, session_user, 'A migration changed the default.');
  end if;
end
$$;

-- COMMENT: FUNCTION change_setting_default(p_key text, p_default jsonb, p_description text)
COMMENT ON FUNCTION private.change_setting_default(p_key text, p_default jsonb, p_description text) IS 'For migrations: the one way to change an existing setting''s default (and optionally its description). An operator''s override stays in force; the change is recorded in private.setting_changes. Unknown key or another JSON type: 22023.';

-- ACL: FUNCTION change_setting_default(p_key text, p_default jsonb, p_description text)
REVOKE ALL ON FUNCTION private.change_setting_default(p_key text, p_default jsonb, p_description text) FROM PUBLIC;
