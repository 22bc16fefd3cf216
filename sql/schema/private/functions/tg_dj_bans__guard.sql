-- FUNCTION: tg_dj_bans__guard()
CREATE FUNCTION private.tg_dj_bans__guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := auth.uid();
begin
  if TG_OP = 'INSERT' then
    if NEW.user_id = v_uid then
      raise exception 'You cannot ban yourself.' using errcode = 'SELFX', hint = 'Pick another user.';
    end if;
    if NEW.user_id = NEW.dj_id or (
      v_uid <> NEW.dj_id and not hidden.is_staff()
      and exists (select 1 from public.dj_moderators as m where m.dj_id = NEW.dj_id and m.user_id = NEW.user_id)
    ) then
      raise exception 'Moderators cannot ban the DJ or other moderators.'
        using errcode = '42501', hint = 'Ask the DJ (or staff).';
    end if;
    if NEW.kind = 'timeout' and (NEW.expires_at <= now() or NEW.expires_at > now() + interval '14 days') then
      raise exception 'A timeout lasts from 1 second to 14 days.' using errcode = '22023', hint = 'Use a ban for longer.';
    end if;
    NEW.moderator_id := v_uid;
    NEW.created_at := now();
    NEW.revoked_at := null;
    NEW.revoked_by := null;
  else
    if OLD.revoked_at is not null then
      NEW.revoked_at := OLD.revoked_at;  -- lifting twice changes nothing
    else
      NEW.revoked_by := v_uid;
    end if;
  end if;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_dj_bans__guard()
COMMENT ON FUNCTION private.tg_dj_bans__guard() IS 'Before a ban is written: no self-bans, moderators cannot ban the DJ or other moderators, timeouts last 1 s-14 days.';

-- ACL: FUNCTION tg_dj_bans__guard()
REVOKE ALL ON FUNCTION private.tg_dj_bans__guard() FROM PUBLIC;
