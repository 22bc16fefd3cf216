-- FUNCTION: text_policy_pattern(text)
CREATE FUNCTION hidden.text_policy_pattern(p_kind text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select '[' || case p_kind
      when 'text' then '\u0001-\u0008\u000B-\u001F'
      when 'line' then '\u0001-\u001F'
      when 'name' then '\u0001-\u001F\u034F\u061C\u200E\u200F'
    end
    || '\u007F-\u009F\u00AD\u115F\u1160\u17B4\u17B5\u180E\u200B\u2028-\u202E\u2060-\u206F\u3164\uFEFF'
    || '\uFFA0\uFFF0-\uFFFB\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0000-\U000E001F'
    || '\U000E0080-\U000E00FF\U000E01F0-\U000E0FFF]'
$$;

-- COMMENT: FUNCTION text_policy_pattern(p_kind text)
COMMENT ON FUNCTION hidden.text_policy_pattern(p_kind text) IS 'The text policy''s refused characters for a kind (text, line or name) as a regex bracket expression; NULL for an unknown kind. See foundation-text-policy and docs/text-policy.md.';

-- ACL: FUNCTION text_policy_pattern(p_kind text)
REVOKE ALL ON FUNCTION hidden.text_policy_pattern(p_kind text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.text_policy_pattern(p_kind text) TO authenticated;
GRANT ALL ON FUNCTION hidden.text_policy_pattern(p_kind text) TO service_role;
