-- FUNCTION: request_track(uuid, public.track_provider, text, text, text, integer, text, boolean)
CREATE FUNCTION hidden.request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean) RETURNS public.request_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_session public.dj_sessions;
  v_team boolean;
  v_track public.tracks;
  v_item public.queue_items;
  v_limit integer;
  v_open integer;
  v_problem text;
  v_id text := btrim(p_provider_track_id);
begin
  v_problem := private.track_details_problem(p_provider, p_provider_track_id, p_title, p_artist, p_duration_ms,
    p_artwork_url);
  if v_problem is not null then
    raise exception 'Invalid track details: %.', v_problem
      using errcode = '22023',
        hint = 'Title and artist 1-200 chars, duration 1 s-3 h, artwork from the provider''s image host.';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('request:' || v_uid, 0));
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  v_team := private.require_queue_listener(v_session, v_uid);
  if not v_session.requests_open and not v_team then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('REQCL', 'Requests are closed in this session.', 'Vote on the queue instead.'),
      detail = hidden.api_response('REQCL');
  end if;
  select * into v_track from public.tracks as t
  where t.provider = p_provider and t.provider_track_id = v_id and t.requested_in is null and t.verified_at is not null;
  if v_track.id is null then
    insert into public.tracks (provider, provider_track_id, title, artist, duration_ms, artwork_url, explicit,
      requested_in)
    values (p_provider, v_id, btrim(p_title), btrim(p_artist), p_duration_ms, p_artwork_url,
      coalesce(p_explicit, false), p_session_id)
    on conflict (provider, provider_track_id, requested_in) where requested_in is not null do nothing;
    select * into v_track from public.tracks as t
    where t.provider = p_provider and t.provider_track_id = v_id and t.requested_in = p_session_id;
  end if;
  if v_track.explicit and not v_session.allow_explicit then
    raise exception 'This session does not take explicit tracks.' using errcode = 'NOEXP', hint = 'Pick a clean version.';
  end if;
  if v_session.max_track_seconds is not null and v_track.duration_ms > v_session.max_track_seconds * 1000 then
    raise exception 'This track is longer than the session allows (% s).', v_session.max_track_seconds
      using errcode = 'TOLNG', hint = 'Pick a shorter track.';
  end if;
  select * into v_item from public.queue_items as q
  where q.session_id = p_session_id and q.track_id = v_track.id and q.status in ('queued', 'playing');
  if v_item.id is not null then  -- already queued: the request becomes a vote for it
    perform hidden.cast_vote(v_item.id, 1);
    select * into v_item from public.queue_items as q where q.id = v_item.id;
    return (v_item, v_track, true)::public.request_result;
  end if;
  if exists (
    select 1 from public.queue_items as q
    where q.session_id = p_session_id and q.track_id = v_track.id and q.status = 'rejected'
  ) and not v_team then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('REJTD', 'The DJ turned this track down tonight.', 'Request something else.'),
      detail = hidden.api_response('REJTD');
  end if;
  if not v_team then
    v_limit := greatest(v_session.request_limit, case
      when hidden.has_entitlement(v_uid, hidden.setting('subscriber_entitlement') #>> '{}')
        then (hidden.setting('subscriber_request_limit'))::integer else 0 end);
    select count(*) into v_open from public.queue_items as q
    where q.session_id = p_session_id and q.requested_by = v_uid and q.status = 'queued';
    if v_open >= v_limit then
      raise sqlstate 'PGRST' using
        message = hidden.api_error(
          'QUOTA',
          format('You have %s requests waiting (the limit here is %s).', v_open, v_limit),
          'Wait until one plays, or withdraw one.',
          json_build_object('limit', v_limit, 'open', v_open)::text
        ),
        detail = hidden.api_response('QUOTA');
    end if;
  end if;
  insert into public.queue_items (session_id, track_id, requested_by, upvotes, rank_key)
  values (p_session_id, v_track.id, v_uid, 1, '{}')
  returning * into v_item;
  insert into public.queue_votes (item_id, user_id, session_id, value) values (v_item.id, v_uid, p_session_id, 1);
  perform private.rerank_requester(p_session_id, v_uid);
  update public.queue_items as q
  set rank_key = public.queue_rank_key_v1(v_session.queue_policy, q.pin_order, q.upvotes - q.downvotes, q.boost,
    (select (c.value)::integer from private.settings as c where c.key = 'tip_boost_cap'), q.fair_round, q.requested_at)
  where q.id = v_item.id
  returning * into v_item;
  return (v_item, v_track, false)::public.request_result;
end
$$;

-- COMMENT: FUNCTION request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean)
COMMENT ON FUNCTION hidden.request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean) IS 'request_track''s implementation: the provider id''s verified row if there is one (the typed details are then ignored), else this session''s typed row; then a new queue item, or a vote for the queued one.';

-- ACL: FUNCTION request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean)
REVOKE ALL ON FUNCTION hidden.request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.request_track(p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean) TO authenticated;
