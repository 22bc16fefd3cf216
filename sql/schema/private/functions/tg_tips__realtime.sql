-- FUNCTION: tg_tips__realtime()
CREATE FUNCTION private.tg_tips__realtime() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tipper record;
begin
  if NEW.status = 'succeeded' and OLD.status in ('pending', 'failed') then
    select p.handle, p.display_name into v_tipper from public.profiles as p where p.id = NEW.tipper_id;
    if NEW.session_id is not null then
      perform private.rt_emit(NEW.session_id, 'tip.received', jsonb_build_object(
        'tip_id', NEW.id, 'tipper_id', NEW.tipper_id, 'tipper_handle', v_tipper.handle,
        'tipper_name', v_tipper.display_name, 'amount', NEW.amount, 'currency', NEW.currency,
        'message', NEW.message, 'boost_item_id', NEW.boost_item_id
      ), false);
    end if;
    if NEW.dj_id is not null then
      perform private.notify(NEW.dj_id, 'tip_received', 'tip:' || NEW.id, NEW.tipper_id, NEW.session_id, null,
        jsonb_build_object('tip_id', NEW.id, 'amount', NEW.amount, 'currency', NEW.currency, 'message', NEW.message));
    end if;
    if NEW.boost_item_id is not null then
      update public.queue_items as q set boost = q.boost + 1 where q.id = NEW.boost_item_id and q.status = 'queued';
      perform private.rerank_session(NEW.session_id);
    end if;
  elsif NEW.status = 'refunded' and OLD.status = 'succeeded' and NEW.boost_item_id is not null then
    update public.queue_items as q set boost = greatest(q.boost - 1, 0)
    where q.id = NEW.boost_item_id and q.status = 'queued';
    perform private.rerank_session(NEW.session_id);
  end if;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_tips__realtime()
COMMENT ON FUNCTION private.tg_tips__realtime() IS 'A tip that succeeded: tip.received to the room, a notification to the DJ, one boost on its request (taken back on a full refund).';

-- ACL: FUNCTION tg_tips__realtime()
REVOKE ALL ON FUNCTION private.tg_tips__realtime() FROM PUBLIC;
