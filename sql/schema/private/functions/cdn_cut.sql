-- FUNCTION: cdn_cut()
CREATE FUNCTION private.cdn_cut() RETURNS TABLE(topic text, slot bigint, bucket text, object_key text, body text)
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_slot bigint := private.cdn_slot(clock_timestamp()) - 1;  -- the slot that has just ended
  v_max integer := (hidden.setting('realtime_poll_catchup_max'))::integer;
  v_bucket text := (hidden.setting('realtime_cdn_bucket')) #>> '{}';
  v_room record;
  v_to bigint;
begin
  -- One cutter at a time, whichever service instance calls (the others return nothing).
  if not pg_try_advisory_xact_lock(hashtextextended('private.cdn_cut', 0)) then
    return;
  end if;
  for v_room in
    select t.topic, t.session_id, t.cdn_seq, t.last_seq,
      (select max(f.slot) from private.cdn_frames as f where f.topic = t.topic) as cut_slot
    from private.realtime_topics as t
    where t.delivery = 'cdn' and t.cdn_seq is not null
  loop
    if v_room.cut_slot >= v_slot then
      continue;
    end if;
    -- last_seq was read from committed rows: every entry up to it is in the log. An emitter
    -- holding the row now only delays this update; its entry goes in the next file.
    v_to := greatest(v_room.last_seq, v_room.cdn_seq);
    update private.realtime_topics as t set cdn_seq = v_to where t.topic = v_room.topic;
    -- A round that came late (a slow upload, a busy machine) also cuts the slots it missed, up
    -- to three, as empty files before this one: an app reading slot after slot finds each.
    for slot in
      select s from generate_series(greatest(coalesce(v_room.cut_slot + 1, v_slot), v_slot - 3), v_slot) as s
    loop
      insert into private.cdn_frames (topic, slot, from_seq, to_seq)
      values (v_room.topic, slot, v_room.cdn_seq, case when slot = v_slot then v_to else v_room.cdn_seq end);
      topic := v_room.topic;
      bucket := v_bucket;
      object_key := v_room.session_id || '/' || slot || '.json';
      body := private.cdn_frame_body(v_room.topic, slot, v_room.cdn_seq,
        case when slot = v_slot then v_to else v_room.cdn_seq end, v_max);
      return next;
    end loop;
  end loop;
end
$$;

-- COMMENT: FUNCTION cdn_cut()
COMMENT ON FUNCTION private.cdn_cut() IS 'Called by the publisher every realtime_cdn_slot_ms: for each cdn room, the file of the slot that has just ended (the log entries since its last file; empty ones too, so every slot''s file exists, and up to three slots a late round missed, empty, before it), recorded in private.cdn_frames. Returns {topic, slot, bucket, object_key, body} to upload. One caller at a time; a slot is cut once.';

-- ACL: FUNCTION cdn_cut()
REVOKE ALL ON FUNCTION private.cdn_cut() FROM PUBLIC;
