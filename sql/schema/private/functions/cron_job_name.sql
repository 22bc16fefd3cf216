-- FUNCTION: cron_job_name(text)
CREATE FUNCTION private.cron_job_name(p_name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    SET search_path TO ''
    AS $$
  select 'whatssound-' || replace(p_name, '_', '-')
$$;

-- COMMENT: FUNCTION cron_job_name(p_name text)
COMMENT ON FUNCTION private.cron_job_name(p_name text) IS 'The pg_cron job name of a declared job (whatssound-<name>, dashed).';

-- ACL: FUNCTION cron_job_name(p_name text)
REVOKE ALL ON FUNCTION private.cron_job_name(p_name text) FROM PUBLIC;
