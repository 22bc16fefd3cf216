-- FUNCTION: tg_dj_blocked_terms__apply()
CREATE FUNCTION private.tg_dj_blocked_terms__apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if TG_OP = 'DELETE' then
    perform private.log_moderation(OLD.dj_id, null, 'remove_blocked_term', null, null, '',
      jsonb_build_object('term', OLD.term, 'action', OLD.action), null);
    return OLD;
  end if;
  NEW.term := lower(btrim(NEW.term));
  if TG_OP = 'INSERT' then
    if exists (select 1 from public.dj_blocked_terms as t where t.dj_id = NEW.dj_id and t.term = NEW.term) then
      return NEW;  -- an upsert: its update path logs the change
    end if;
    NEW.created_by := auth.uid();
    NEW.created_at := now();
  end if;
  perform private.log_moderation(NEW.dj_id, null, 'add_blocked_term', null, null, '',
    case when TG_OP = 'UPDATE' then jsonb_build_object('term', OLD.term, 'action', OLD.action) end,
    jsonb_build_object('term', NEW.term, 'action', NEW.action));
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_dj_blocked_terms__apply()
COMMENT ON FUNCTION private.tg_dj_blocked_terms__apply() IS 'Normalise blocked terms and log every change.';

-- ACL: FUNCTION tg_dj_blocked_terms__apply()
REVOKE ALL ON FUNCTION private.tg_dj_blocked_terms__apply() FROM PUBLIC;
