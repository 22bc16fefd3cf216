/*
 * realtime-staff-lane-never-waits: a crowd's chat never queues behind its staff lane.
 *
 * Every chat line and request of a pull room also goes to the room's staff lane (20261202070200).
 * The lane took its topic row with a plain row lock, so while one transaction was broadcasting on
 * the lane every other chat line of the room waited for its commit. Now the lane's row is taken with SKIP LOCKED: when it is busy the
 * item goes to the lane's buffer and out with the next staff tick (within a flush, every item kept);
 * the lane's topic row is created only when it does not exist yet.
 */

create or replace function private.rt_staff_event(p_session_id uuid, p_event text, p_data jsonb) returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_topic text := 'staff:' || p_session_id;
  v_quota double precision;
  v_row private.realtime_topics;
begin
  perform 1 from private.realtime_topics as t where t.topic = v_topic;
  if not found then  -- the lane's own budget, set when it is first used
    v_quota := (hidden.setting('realtime_staff_per_minute'))::double precision;
    insert into private.realtime_topics (topic, session_id, quota, capacity, rate, tokens, refilled_at)
    values (v_topic, p_session_id, v_quota, private.rt_capacity(v_quota), private.rt_refill(v_quota),
      private.rt_capacity(v_quota), private.rt_now())
    on conflict (topic) do nothing;
  end if;
  -- Never wait for the lane: every chat line and request of a crowd comes here, and a lane that
  -- another transaction is sending on right now would serialise the room. Then the item joins
  -- the lane's next tick (within a second), every item kept.
  select * into v_row from private.realtime_topics as t where t.topic = v_topic for update skip locked;
  if v_row.topic is not null and v_row.pending = 0 and private.rt_take_token(v_row) then
    perform private.rt_broadcast(v_topic, p_event, p_data, private.rt_team_count(p_session_id), true);
    return;
  end if;
  insert into private.realtime_buffer (topic, event, data) values (v_topic, p_event, p_data);
  if v_row.topic is not null then
    update private.realtime_topics as t set pending = t.pending + 1 where t.topic = v_topic;
  end if;
end
$$;
comment on function private.rt_staff_event(uuid, text, jsonb) is
  'Send an event to the room''s staff lane (staff:<session>: the DJ, co-hosts, the DJ''s moderators, staff) at once; '
  'in its next tick when the lane is over its budget (realtime_staff_per_minute) or busy sending (never waits).';
