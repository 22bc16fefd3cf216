-- FUNCTION: control_queue(uuid, public.queue_action, uuid, integer, text, uuid)
CREATE FUNCTION public.control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid DEFAULT NULL::uuid, p_position integer DEFAULT NULL::integer, p_reason text DEFAULT NULL::text, p_expected_item_id uuid DEFAULT NULL::uuid) RETURNS public.queue_items
    LANGUAGE sql
    SET search_path TO ''
    AS $$ select hidden.control_queue(p_session_id, p_action, p_item_id, p_position, p_reason, p_expected_item_id) $$;

-- COMMENT: FUNCTION control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text, p_expected_item_id uuid)
COMMENT ON FUNCTION public.control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text, p_expected_item_id uuid) IS 'Run the queue (DJ, co-hosts, the DJ''s moderators). p_action: play (this request now; what played is marked played), advance (play the top of the queue), play_next (first in the manual block), pin (end of the manual block), unpin, move (to p_position in the manual block), finish (mark what is playing as played), skip (what is playing, p_reason), reject (a request, p_reason). Returns the item acted on (NULL for finish/skip, or advance on an empty queue).
Idempotent taps: pass p_expected_item_id (the now_playing.item_id you show) with play, advance, finish or skip. If that item is no longer playing (a co-host already moved on, or this request is a retry of one that succeeded), nothing changes and the call returns what plays now (NULL fields if nothing does), as the successful call did: show it as now playing, no error. Without it the action always runs (two taps advance twice).
Errors: LOGIN; P0002 no such session/item; 42501 not the team; ENDED; STATE item not queued; IDLEQ nothing playing (only without p_expected_item_id); 22023 p_action null, or p_expected_item_id with another action.
Example: await supabase.rpc(''control_queue'', { p_session_id: id, p_action: ''advance'', p_expected_item_id: nowPlaying.item_id })';

-- ACL: FUNCTION control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text, p_expected_item_id uuid)
REVOKE ALL ON FUNCTION public.control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text, p_expected_item_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text, p_expected_item_id uuid) TO authenticated;
