/*
 * realtime-lost-broadcasts-counted: a broadcast that never reached realtime.messages is counted.
 *
 * realtime.send never fails its caller: on Supabase a policy denial, a payload it cannot take or
 * a day with no partition (the Realtime server creates them; there is no DEFAULT partition)
 * becomes a WARNING and nothing is sent. Every broadcast is also in our log
 * (private.realtime_log, sent = true), so the difference is what the rooms lost. /metrics
 * reports it (whatssound_realtime_undelivered_last_minute); ops/alerts.yml pages on it
 * (WhatsSoundRealtimeUndelivered, docs/runbook.md).
 */

create view private.realtime_undelivered as
select
  l.event,
  count(*)::integer as events
from private.realtime_log as l
where l.sent
  -- A minute of sends, ending a few seconds ago (a send commits with its transaction).
  and l.created_at > now() - interval '65 seconds' and l.created_at <= now() - interval '5 seconds'
  and not exists (
    select 1 from realtime.messages as m
    where m.topic = l.topic and m.extension = 'broadcast' and m.private
      and m.inserted_at > localtimestamp - interval '3 minutes'
      and m.payload ->> 'seq' = l.seq::text
  )
group by l.event;
comment on view private.realtime_undelivered is
  'Broadcasts logged as sent in the last minute (until 5 s ago) with no row in realtime.messages, by event.';
comment on column private.realtime_undelivered.event is 'The event.';
comment on column private.realtime_undelivered.events is 'How many were lost.';
-- NOTE: no grants: the service (postgres) reads it for /metrics.
