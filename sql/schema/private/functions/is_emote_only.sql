-- FUNCTION: is_emote_only(text)
CREATE FUNCTION private.is_emote_only(p_body text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $_$
  -- :emote_codes: and emoji (pictographs, symbols, flags, keycaps like 1️⃣, joiners, variation selectors).
  select p_body ~ ('^(\s|:[A-Za-z0-9_]{2,32}:|[0-9#*]\uFE0F?\u20E3|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF'
    || '\u2190-\u21FF\u2300-\u23FF\u25A0-\u25FF\u2900-\u297F\u3030\u303D\u3297\u3299\u00A9\u00AE'
    || '\u203C\u2049\u2122\u2139\u200D\uFE0F\u20E3\U000E0020-\U000E007F])+$')
$_$;

-- COMMENT: FUNCTION is_emote_only(p_body text)
COMMENT ON FUNCTION private.is_emote_only(p_body text) IS 'Whether a message is only :emote: codes, emoji and spaces.';

-- ACL: FUNCTION is_emote_only(p_body text)
REVOKE ALL ON FUNCTION private.is_emote_only(p_body text) FROM PUBLIC;
