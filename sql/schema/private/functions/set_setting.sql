-- FUNCTION: set_setting(text, jsonb, text, text, boolean)
CREATE FUNCTION private.set_setting(p_key text, p_value jsonb, p_reason text, p_changed_by text DEFAULT NULL::text, p_dry_run boolean DEFAULT false) RETURNS private.setting_values
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row private.setting_values := private.setting_row(p_key);
  v_previous jsonb := v_row.override_value;
begin
  if jsonb_typeof(p_value) is distinct from jsonb_typeof(v_row.default_value) then
    raise exception '% takes a JSON %, not %.', p_key, jsonb_typeof(v_row.default_value),
      coalesce(jsonb_typeof(p_value), 'null')
      using errcode = '22023', hint = format('Its default is %s.', v_row.default_value);
  end if;
  v_row.override_value := p_value;
  v_row.effective_value := p_value;
  v_row.changed_by := left(coalesce(nullif(btrim(p_changed_by), ''), session_user), 100);
  v_row.changed_at := now();
  v_row.reason := left(btrim(p_reason), 500);
  if coalesce(v_row.reason, '') = '' then
    raise exception 'A reason is required.' using errcode = '22023', hint = 'Say why: it is kept in the history.';
  end if;
  if coalesce(p_dry_run, false) then
    return v_row;
  end if;
  insert into private.setting_overrides as o (key, value, changed_by, changed_at, reason)
  values (p_key, p_value, v_row.changed_by, v_row.changed_at, v_row.reason)
  on conflict (key) do update
    set value = excluded.value, changed_by = excluded.changed_by, changed_at = excluded.changed_at,
      reason = excluded.reason;
  update private.settings as s set value = p_value where s.key = p_key;
  insert into private.setting_changes (key, change, previous_value, new_value, changed_by, changed_at, reason)
  values (p_key, 'set', v_previous, p_value, v_row.changed_by, v_row.changed_at, v_row.reason);
  return v_row;
end
$$;

-- COMMENT: FUNCTION set_setting(p_key text, p_value jsonb, p_reason text, p_changed_by text, p_dry_run boolean)
COMMENT ON FUNCTION private.set_setting(p_key text, p_value jsonb, p_reason text, p_changed_by text, p_dry_run boolean) IS 'Override a setting (whatssound settings set): in force at once for every reader, kept over later default changes, recorded with who (p_changed_by, else the database user), when and why. Refused with 22023: an unknown key, a value of another JSON type than the default, no reason. p_dry_run: return the row it would leave, change nothing.';

-- ACL: FUNCTION set_setting(p_key text, p_value jsonb, p_reason text, p_changed_by text, p_dry_run boolean)
REVOKE ALL ON FUNCTION private.set_setting(p_key text, p_value jsonb, p_reason text, p_changed_by text, p_dry_run boolean) FROM PUBLIC;
