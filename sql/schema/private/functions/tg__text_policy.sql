-- FUNCTION: tg__text_policy()
CREATE FUNCTION private.tg__text_policy() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_new jsonb := to_jsonb(NEW);
  v_old jsonb := case when TG_OP = 'UPDATE' then to_jsonb(OLD) end;
  v_nfc jsonb := '{}';
  v_spec text;
  v_column text;
  v_pattern text;
  v_value text;
  v_bad text;
begin
  foreach v_spec in array TG_ARGV loop
    v_column := split_part(v_spec, ':', 1);
    v_value := v_new ->> v_column;
    continue when v_value is null or v_value is not distinct from (v_old ->> v_column);
    v_pattern := hidden.text_policy_pattern(split_part(v_spec, ':', 2));
    if v_pattern is null then
      raise exception 'Text policy misconfigured on %: %.', TG_TABLE_NAME, v_spec
        using errcode = '22023', hint = 'Trigger arguments are <column>:<text|line|name>.';
    end if;
    if v_value ~ v_pattern then
      v_bad := substring(v_value from v_pattern);
      raise exception 'The text contains a character that is not allowed (%).', v_column
        using errcode = 'BADCH',
          detail = json_build_object('table', TG_TABLE_NAME, 'column', v_column,
            'code_point', 'U+' || upper(lpad(to_hex(ascii(v_bad)), 4, '0')))::text,
          hint = 'Remove control, bidirectional-override and invisible characters (details.code_point), then retry.';
    end if;
    if v_value is not nfc normalized then
      v_nfc := v_nfc || jsonb_build_object(v_column, normalize(v_value, nfc));
    end if;
  end loop;
  if v_nfc <> '{}' then
    NEW := jsonb_populate_record(NEW, v_nfc);
  end if;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg__text_policy()
COMMENT ON FUNCTION private.tg__text_policy() IS 'Shared BEFORE INSERT OR UPDATE trigger, arguments ''<column>:<kind>'' (kind text, line or name): refuses a new or changed value holding a character of hidden.text_policy_pattern(kind) with BADCH (details: table, column, code_point) and stores it in NFC. Name the trigger _010_text_policy so it fires before the table''s other BEFORE triggers.';

-- ACL: FUNCTION tg__text_policy()
REVOKE ALL ON FUNCTION private.tg__text_policy() FROM PUBLIC;
