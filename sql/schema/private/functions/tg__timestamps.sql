-- FUNCTION: tg__timestamps()
CREATE FUNCTION private.tg__timestamps() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if TG_OP = 'INSERT' then
    NEW.created_at := now();
  else
    NEW.created_at := OLD.created_at;
  end if;
  NEW.updated_at := case
    when TG_OP = 'UPDATE' and OLD.updated_at >= now() then OLD.updated_at + interval '1 millisecond'
    else now()
  end;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg__timestamps()
COMMENT ON FUNCTION private.tg__timestamps() IS 'Shared trigger: created_at is set once and immutable, updated_at only moves forward.';

-- ACL: FUNCTION tg__timestamps()
REVOKE ALL ON FUNCTION private.tg__timestamps() FROM PUBLIC;
