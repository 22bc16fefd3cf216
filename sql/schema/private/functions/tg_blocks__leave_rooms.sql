-- FUNCTION: tg_blocks__leave_rooms()
CREATE FUNCTION private.tg_blocks__leave_rooms() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  -- A DJ who blocks someone takes them out of the DJ's live and scheduled rooms, as a ban does:
  -- reading a room is membership, so the block must end it.
  update public.session_members as m set left_at = now()
  from public.dj_sessions as s
  where s.id = m.session_id and s.dj_id = NEW.blocker_id and s.status <> 'ended'
    and m.user_id = NEW.blocked_id and m.left_at is null;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_blocks__leave_rooms()
COMMENT ON FUNCTION private.tg_blocks__leave_rooms() IS 'After a block: the blocked user leaves the blocker''s open rooms (reading a room is membership).';

-- ACL: FUNCTION tg_blocks__leave_rooms()
REVOKE ALL ON FUNCTION private.tg_blocks__leave_rooms() FROM PUBLIC;
