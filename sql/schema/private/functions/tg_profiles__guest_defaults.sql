-- FUNCTION: tg_profiles__guest_defaults()
CREATE FUNCTION private.tg_profiles__guest_defaults() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if hidden.is_anonymous(NEW.id) then
    if not coalesce((hidden.setting('anonymous_may_edit_profile'))::boolean, false) then
      NEW.display_name := NEW.handle;
    end if;
    if not coalesce((hidden.setting('anonymous_may_upload_images'))::boolean, false) then
      NEW.avatar_url := null;
    end if;
  end if;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_profiles__guest_defaults()
COMMENT ON FUNCTION private.tg_profiles__guest_defaults() IS 'Before a profile is created: a guest''s display name is its generated handle and it has no avatar, whatever the sign-up metadata said (unless anonymous_may_edit_profile / anonymous_may_upload_images).';

-- ACL: FUNCTION tg_profiles__guest_defaults()
REVOKE ALL ON FUNCTION private.tg_profiles__guest_defaults() FROM PUBLIC;
