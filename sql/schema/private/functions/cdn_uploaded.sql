-- FUNCTION: cdn_uploaded(text, bigint)
CREATE FUNCTION private.cdn_uploaded(p_topic text, p_slot bigint) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  update private.cdn_frames as f set uploaded_at = clock_timestamp()
  where f.topic = p_topic and f.slot = p_slot and f.uploaded_at is null;
end
$$;

-- COMMENT: FUNCTION cdn_uploaded(p_topic text, p_slot bigint)
COMMENT ON FUNCTION private.cdn_uploaded(p_topic text, p_slot bigint) IS 'The publisher stored a frame''s file.';

-- ACL: FUNCTION cdn_uploaded(p_topic text, p_slot bigint)
REVOKE ALL ON FUNCTION private.cdn_uploaded(p_topic text, p_slot bigint) FROM PUBLIC;
