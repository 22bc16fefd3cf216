/*
 * payments-tips-in-the-room: what a tip does once Stripe says it succeeded.
 *
 *   - the room sees it at once: realtime event tip.received on session:<id>;
 *   - the DJ gets a tip_received notification (and its realtime copy on user:<dj>);
 *   - a tip attached to a request boosts it by one vote-equivalent; the ranking counts at most
 *     tip_boost_cap of them (money can influence the queue, never buy it), and a full refund
 *     takes the boost back;
 *   - session_supporters() ranks the room's tippers (visible to whoever may see the session).
 */

create function private.tg_tips__realtime() returns trigger
language plpgsql security definer
set search_path = ''
as $$
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
comment on function private.tg_tips__realtime() is
  'A tip that succeeded: tip.received to the room, a notification to the DJ, one boost on its request '
  '(taken back on a full refund).';
create trigger _600_realtime after update of status on public.tips
  for each row execute function private.tg_tips__realtime();

create function hidden.session_supporters(p_session_id uuid, p_limit integer) returns table (
  tipper_id uuid, handle text, display_name text, currency text, total bigint, tips bigint
)
language sql stable security definer
set search_path = ''
as $$
  select t.tipper_id, p.handle, coalesce(p.display_name, 'Deleted user'), t.currency,
    sum(t.amount - t.amount_refunded - t.amount_lost)::bigint, count(*)
  from public.tips as t
  left join public.profiles as p on p.id = t.tipper_id
  where t.session_id = p_session_id and t.status in ('succeeded', 'refunded')
  group by t.tipper_id, p.handle, p.display_name, t.currency
  having sum(t.amount - t.amount_refunded - t.amount_lost) > 0
  order by 5 desc, 6 desc, 1
  limit least(greatest(coalesce(p_limit, 10), 1), 100)
$$;
comment on function hidden.session_supporters(uuid, integer) is 'Implementation of session_supporters.';
grant execute on function hidden.session_supporters(uuid, integer) to authenticated;

create function public.session_supporters(p_session_id uuid, p_limit integer default 10) returns table (
  tipper_id uuid, handle text, display_name text, currency text, total bigint, tips bigint
)
language sql stable
set search_path = ''
as $$
  -- The session is looked up as the caller: RLS decides who may see its leaderboard.
  select s.* from hidden.session_supporters(p_session_id, p_limit) as s
  where exists (select 1 from public.dj_sessions as d where d.id = p_session_id)
$$;
comment on function public.session_supporters(uuid, integer) is
  E'The room''s supporters: tippers ranked by what they gave in this session (net of refunds), per currency, '
  'at most p_limit (1-100). Empty if you cannot see the session.\n'
  'Example: const { data } = await supabase.rpc(''session_supporters'', { p_session_id: id, p_limit: 10 })';
grant execute on function public.session_supporters(uuid, integer) to authenticated;
