/*
 * queue-idempotent-controls: two taps of "next" advance once (issue 18 §8).
 *
 * control_queue's advance, play, finish and skip end whatever is playing, so a DJ and a co-host
 * tapping "next" together, or a request retried on a flaky network after it already succeeded,
 * skipped a track nobody meant to skip. They now take p_expected_item_id: the item the caller
 * believes is playing (now_playing.item_id). The playing row is locked first; when it is no
 * longer that item (someone else moved on, or this very request already ran), the call changes
 * nothing and returns what plays now (NULL fields if nothing does), exactly as the successful
 * call answered. We chose a no-op answered with the current state over an error code: a retry of
 * a call that succeeded must not be an error the app shows, and the app only has to render the
 * returned item as now playing. Without p_expected_item_id the call behaves as before, so every
 * existing caller keeps working (the new argument is last and defaults to NULL). Given with any
 * other action it is refused with 22023: those act on a queued request, not on what is playing.
 * An explicit null p_action is refused with 22023 too (it used to fall through to the manual
 * block's rewrite as a no-op).
 *
 * Signature change: public.control_queue gains an argument, so it is dropped and created again
 * (PostgREST picks the function by argument names; a call without p_expected_item_id matches the
 * default). hidden.control_queue likewise. Body copied from 20261127200200_queue-controls.sql (no
 * later restatement exists), with the guard and the null check added before the actions.
 */

-- helper functions -----------------------------------------------------------------------------

drop function public.control_queue(uuid, public.queue_action, uuid, integer, text);
drop function hidden.control_queue(uuid, public.queue_action, uuid, integer, text);

create function hidden.control_queue(
  p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text,
  p_expected_item_id uuid
) returns public.queue_items
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_session public.dj_sessions := private.require_queue_team(p_session_id);
  v_item public.queue_items;
  v_pinned uuid[];
  v_playing uuid;
begin
  if p_action is null then
    raise exception 'p_action is required.' using errcode = '22023', hint = 'Pass one of the queue_action values.';
  end if;
  if p_expected_item_id is not null then
    if p_action not in ('play', 'advance', 'finish', 'skip') then
      raise exception 'p_expected_item_id applies only to play, advance, finish and skip.'
        using errcode = '22023', hint = 'Leave p_expected_item_id out for this action.';
    end if;
    -- Lock what plays now: a concurrent control of the same track waits here, and then finds it
    -- no longer playing (READ COMMITTED re-checks the locked row).
    select q.id into v_playing from public.queue_items as q
    where q.session_id = p_session_id and q.status = 'playing'
    for update;
    if v_playing is distinct from p_expected_item_id then
      -- Someone already moved on (or this request already ran): change nothing, answer the state.
      select * into v_item from public.queue_items as q where q.session_id = p_session_id and q.status = 'playing';
      return v_item;
    end if;
  end if;
  if p_action in ('play', 'play_next', 'pin', 'unpin', 'move', 'reject') then
    select * into v_item from public.queue_items as q where q.id = p_item_id and q.session_id = p_session_id;
    if v_item.id is null then
      raise exception 'No such request in this session.' using errcode = 'P0002', hint = 'Check the item id.';
    elsif v_item.status <> 'queued' then
      raise exception 'That request is not waiting in the queue.' using errcode = 'STATE', hint = 'Refresh the queue.';
    end if;
  end if;
  if p_action = 'advance' then  -- play the top of the queue
    select * into v_item from public.queue_items as q
    where q.session_id = p_session_id and q.status = 'queued' order by q.rank_key, q.id limit 1;
  end if;
  case p_action
    when 'play', 'advance' then
      perform private.finish_playing(p_session_id, 'played', null);
      if v_item.id is null then
        return null;  -- advance on an empty queue: nothing playing now
      end if;
      update public.queue_items as q set status = 'playing', started_at = now(), pin_order = null
      where q.id = v_item.id returning * into v_item;
    when 'finish' then
      perform private.finish_playing(p_session_id, 'played', null);
    when 'skip' then
      if not exists (select 1 from public.queue_items as q where q.session_id = p_session_id and q.status = 'playing') then
        raise exception 'Nothing is playing.' using errcode = 'IDLEQ', hint = 'Play a track first.';
      end if;
      perform private.finish_playing(p_session_id, 'skipped', coalesce(p_reason, 'skipped by the DJ'));
    when 'reject' then
      update public.queue_items as q
      set status = 'rejected', ended_at = now(), decided_by = auth.uid(), decision_reason = p_reason
      where q.id = v_item.id returning * into v_item;
    else  -- play_next, pin, unpin, move: rewrite the manual block's order 1..n
      select coalesce(array_agg(q.id order by q.pin_order, q.id), '{}') into v_pinned from public.queue_items as q
      where q.session_id = p_session_id and q.status = 'queued' and q.pin_order is not null and q.id <> v_item.id;
      v_pinned := case p_action
        when 'play_next' then array[v_item.id] || v_pinned
        when 'pin' then v_pinned || v_item.id
        when 'move' then v_pinned[1:greatest(least(coalesce(p_position, 1), cardinality(v_pinned) + 1), 1) - 1]
          || v_item.id || v_pinned[greatest(least(coalesce(p_position, 1), cardinality(v_pinned) + 1), 1):]
        else v_pinned
      end;
      update public.queue_items as q
      set pin_order = array_position(v_pinned, q.id),
        rank_key = public.queue_rank_key_v1(v_session.queue_policy, array_position(v_pinned, q.id),
          q.upvotes - q.downvotes, q.boost, (hidden.setting('tip_boost_cap'))::integer, q.fair_round, q.requested_at)
      where q.session_id = p_session_id and q.status = 'queued'
        and (q.pin_order is not null or q.id = v_item.id);
      select * into v_item from public.queue_items as q where q.id = v_item.id;
  end case;
  return v_item;
end
$$;
comment on function hidden.control_queue(uuid, public.queue_action, uuid, integer, text, uuid) is
  'Implementation of public.control_queue.';
grant execute on function hidden.control_queue(uuid, public.queue_action, uuid, integer, text, uuid) to authenticated;

-- RPCs -----------------------------------------------------------------------------------------

create function public.control_queue(
  p_session_id uuid, p_action public.queue_action, p_item_id uuid default null, p_position integer default null,
  p_reason text default null, p_expected_item_id uuid default null
) returns public.queue_items
language sql volatile
set search_path = ''
as $$ select hidden.control_queue(p_session_id, p_action, p_item_id, p_position, p_reason, p_expected_item_id) $$;
comment on function public.control_queue(uuid, public.queue_action, uuid, integer, text, uuid) is
  E'Run the queue (DJ, co-hosts, the DJ''s moderators). p_action: play (this request now; what played is marked '
  'played), advance (play the top of the queue), play_next (first in the manual block), pin (end of the manual '
  'block), unpin, move (to p_position in the manual block), finish (mark what is playing as played), skip (what '
  'is playing, p_reason), reject (a request, p_reason). Returns the item acted on (NULL for finish/skip, or '
  'advance on an empty queue).\n'
  'Idempotent taps: pass p_expected_item_id (the now_playing.item_id you show) with play, advance, finish or skip. '
  'If that item is no longer playing (a co-host already moved on, or this request is a retry of one that '
  'succeeded), nothing changes and the call returns what plays now (NULL fields if nothing does), as the '
  'successful call did: show it as now playing, no error. Without it the action always runs (two taps advance '
  'twice).\n'
  'Errors: LOGIN; P0002 no such session/item; 42501 not the team; ENDED; STATE item not queued; IDLEQ nothing '
  'playing (only without p_expected_item_id); 22023 p_action null, or p_expected_item_id with another action.\n'
  'Example: await supabase.rpc(''control_queue'', { p_session_id: id, p_action: ''advance'', '
  'p_expected_item_id: nowPlaying.item_id })';
grant execute on function public.control_queue(uuid, public.queue_action, uuid, integer, text, uuid) to authenticated;
