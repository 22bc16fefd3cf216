-- FUNCTION: tg_profiles__names()
CREATE FUNCTION private.tg_profiles__names() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    SET enable_seqscan TO 'off'
    AS $$
declare
  v_sign_up boolean := TG_OP = 'INSERT';
  v_was text;
begin
  if v_sign_up or NEW.handle is distinct from OLD.handle then
    NEW.handle_skeleton := private.skeleton(NEW.handle);
    -- The same handle is not a look-alike: the unique constraint (TAKEN, or a sign-up's retry) handles it.
    if exists (
      select 1 from public.profiles as p
      where p.handle_skeleton = NEW.handle_skeleton and p.id <> NEW.id and p.handle <> NEW.handle
    )
      and not exists (select 1 from private.account_deletions as d where d.user_id = NEW.id) then
      if not v_sign_up then
        raise sqlstate 'PGRST' using
          message = hidden.api_error(
            'ALIKE',
            'That handle looks like another account''s.',
            'Pick a handle that does not imitate someone else''s.',
            json_build_object('column', 'handle')::text
          ),
          detail = hidden.api_response('ALIKE');
      end if;
      v_was := NEW.handle;
      NEW.handle := 'user_' || lpad((floor(random() * 1000000))::integer::text, 6, '0');
      NEW.handle_skeleton := private.skeleton(NEW.handle);
      if NEW.display_name = v_was then
        NEW.display_name := NEW.handle;
      end if;
    end if;
  end if;
  if v_sign_up or NEW.display_name is distinct from OLD.display_name or v_was is not null then
    NEW.display_name_skeleton := private.skeleton(NEW.display_name);
    if exists (
      select 1 from public.profiles as p
      where p.id <> NEW.id and (
        (p.display_name_skeleton = NEW.display_name_skeleton and p.display_name <> NEW.display_name)
        or (p.handle_skeleton = NEW.display_name_skeleton and p.handle <> NEW.display_name)
      )
    ) and not exists (select 1 from private.account_deletions as d where d.user_id = NEW.id) then
      if not v_sign_up then
        raise sqlstate 'PGRST' using
          message = hidden.api_error(
            'ALIKE',
            'That name looks like another account''s.',
            'Pick a name without look-alike letters or invisible characters that imitate someone else''s.',
            json_build_object('column', 'display_name')::text
          ),
          detail = hidden.api_response('ALIKE');
      end if;
      NEW.display_name := NEW.handle;
      NEW.display_name_skeleton := NEW.handle_skeleton;
    end if;
  end if;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_profiles__names()
COMMENT ON FUNCTION private.tg_profiles__names() IS 'Before a profile''s handle or display name is stored: maintain their skeletons and refuse (ALIKE) one that looks like another account''s display name or handle without being the same text; at sign-up, fall back instead.';

-- ACL: FUNCTION tg_profiles__names()
REVOKE ALL ON FUNCTION private.tg_profiles__names() FROM PUBLIC;
