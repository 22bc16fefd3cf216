-- FUNCTION: tg_dj_sessions__guard()
CREATE FUNCTION private.tg_dj_sessions__guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := auth.uid();
  v_dj_only boolean;
begin
  if TG_OP = 'INSERT' then
    if v_uid is not null then
      perform hidden.require_full_account('host');
      if not (select p.is_dj from public.profiles as p where p.id = NEW.dj_id) then
        raise sqlstate 'PGRST' using
          message = hidden.api_error(
            'DJONL',
            'Only DJs can create sessions.',
            'Turn on DJ mode in your profile (profiles.is_dj) first.'
          ),
          detail = hidden.api_response('DJONL');
      end if;
    end if;
    if NEW.status = 'ended' then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('STATE', 'A new session cannot start ended.', 'Use scheduled or live.'),
        detail = hidden.api_response('STATE');
    end if;
    NEW.title := btrim(NEW.title);
    NEW.started_at := case when NEW.status = 'live' then now() end;
    NEW.ended_at := null;
    if NEW.status = 'scheduled' and (NEW.scheduled_for is null or NEW.scheduled_for < now() - interval '5 minutes') then
      raise exception 'A scheduled session needs a start time in the future.'
        using errcode = '22023', hint = 'Pass p_scheduled_for, or start it now.';
    end if;
    return NEW;
  end if;

  -- Moderators may change chat settings and requests; everything else is the DJ's (or staff's).
  v_dj_only := (NEW.title, NEW.description, NEW.genre_tags, NEW.cover_url, NEW.visibility, NEW.status,
                NEW.scheduled_for)
    is distinct from (OLD.title, OLD.description, OLD.genre_tags, OLD.cover_url, OLD.visibility,
                      OLD.status, OLD.scheduled_for);
  if v_dj_only and v_uid is not null and v_uid <> OLD.dj_id and not hidden.is_staff() then
    raise exception 'Only the DJ can change that.' using errcode = '42501', hint = 'Moderators may change chat settings only.';
  end if;
  if OLD.status = 'ended' and v_uid is not null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('ENDED', 'This session has ended.', 'Create a new session.'),
      detail = hidden.api_response('ENDED');
  end if;
  NEW.title := btrim(NEW.title);
  if NEW.status is distinct from OLD.status then
    if (OLD.status, NEW.status) not in (('scheduled', 'live'), ('scheduled', 'ended'), ('live', 'ended')) then
      raise sqlstate 'PGRST' using
        message = hidden.api_error(
          'STATE',
          format('A session cannot go from %s to %s.', OLD.status, NEW.status),
          'Sessions go scheduled -> live -> ended.'
        ),
        detail = hidden.api_response('STATE');
    end if;
    if NEW.status = 'live' then
      NEW.started_at := now();
    else
      NEW.ended_at := now();
      NEW.listener_count := 0;
    end if;
  end if;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_dj_sessions__guard()
COMMENT ON FUNCTION private.tg_dj_sessions__guard() IS 'Before a session is written: DJs only (full accounts), valid lifecycle transitions, timestamps, and only the DJ changes more than chat settings.';

-- ACL: FUNCTION tg_dj_sessions__guard()
REVOKE ALL ON FUNCTION private.tg_dj_sessions__guard() FROM PUBLIC;
