-- FUNCTION: tg_dj_moderators__apply()
CREATE FUNCTION private.tg_dj_moderators__apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if TG_OP = 'INSERT' then
    if exists (select 1 from public.dj_moderators as m where m.dj_id = NEW.dj_id and m.user_id = NEW.user_id) then
      return NEW;  -- already a moderator: the conflict makes this a no-op, nothing to log
    end if;
    if NEW.dj_id = NEW.user_id then
      raise exception 'You moderate your own sessions already.' using errcode = 'SELFX', hint = 'Appoint someone else.';
    end if;
    if hidden.is_anonymous(NEW.user_id) then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('ANONY', 'Guests cannot be moderators.', 'They need to sign in first.'),
        detail = hidden.api_response('ANONY');
    end if;
    NEW.appointed_by := auth.uid();
    NEW.created_at := now();
    update public.session_members as m set role = 'moderator'
    from public.dj_sessions as s
    where s.id = m.session_id and s.dj_id = NEW.dj_id and m.user_id = NEW.user_id and m.role = 'listener';
    perform private.log_moderation(NEW.dj_id, null, 'appoint_moderator', NEW.user_id, null, '', null, null);
    return NEW;
  end if;
  update public.session_members as m set role = 'listener'
  from public.dj_sessions as s
  where s.id = m.session_id and s.dj_id = OLD.dj_id and m.user_id = OLD.user_id and m.role = 'moderator';
  perform private.log_moderation(OLD.dj_id, null, 'remove_moderator', OLD.user_id, null, '', null, null);
  return OLD;
end
$$;

-- COMMENT: FUNCTION tg_dj_moderators__apply()
COMMENT ON FUNCTION private.tg_dj_moderators__apply() IS 'When a moderator is appointed or removed: check, update their role in the DJ''s rooms, log it.';

-- ACL: FUNCTION tg_dj_moderators__apply()
REVOKE ALL ON FUNCTION private.tg_dj_moderators__apply() FROM PUBLIC;
