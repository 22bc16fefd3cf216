-- FUNCTION: reset_setting(text, text, text, boolean)
CREATE FUNCTION private.reset_setting(p_key text, p_reason text, p_changed_by text DEFAULT NULL::text, p_dry_run boolean DEFAULT false) RETURNS private.setting_values
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row private.setting_values := private.setting_row(p_key);
  v_by text := left(coalesce(nullif(btrim(p_changed_by), ''), session_user), 100);
  v_reason text := left(btrim(p_reason), 500);
  v_before jsonb := v_row.effective_value;
  v_changes boolean := v_row.override_value is not null or v_row.effective_value is distinct from v_row.default_value;
begin
  if coalesce(v_reason, '') = '' then
    raise exception 'A reason is required.' using errcode = '22023', hint = 'Say why: it is kept in the history.';
  end if;
  v_row.override_value := null;
  v_row.effective_value := v_row.default_value;
  v_row.changed_by := null;
  v_row.changed_at := null;
  v_row.reason := null;
  if coalesce(p_dry_run, false) or not v_changes then
    return v_row;
  end if;
  delete from private.setting_overrides as o where o.key = p_key;
  update private.settings as s set value = s.default_value where s.key = p_key;
  insert into private.setting_changes (key, change, previous_value, new_value, changed_by, reason)
  values (p_key, 'reset', v_before, v_row.default_value, v_by, v_reason);
  return v_row;
end
$$;

-- COMMENT: FUNCTION reset_setting(p_key text, p_reason text, p_changed_by text, p_dry_run boolean)
COMMENT ON FUNCTION private.reset_setting(p_key text, p_reason text, p_changed_by text, p_dry_run boolean) IS 'Drop a setting''s override (whatssound settings reset): its default is in force again, recorded with who, when and why (nothing recorded when it already was). Refused with 22023: an unknown key, no reason. p_dry_run: return the row it would leave, change nothing.';

-- ACL: FUNCTION reset_setting(p_key text, p_reason text, p_changed_by text, p_dry_run boolean)
REVOKE ALL ON FUNCTION private.reset_setting(p_key text, p_reason text, p_changed_by text, p_dry_run boolean) FROM PUBLIC;
