-- VIEW: realtime_undelivered
CREATE VIEW private.realtime_undelivered AS
 SELECT event,
    (count(*))::integer AS events
   FROM private.realtime_log l
  WHERE (sent AND (created_at > (now() - '00:01:05'::interval)) AND (created_at <= (now() - '00:00:05'::interval)) AND (NOT (EXISTS ( SELECT 1
           FROM realtime.messages m
          WHERE ((m.topic = l.topic) AND (m.extension = 'broadcast'::text) AND m.private AND (m.inserted_at > (LOCALTIMESTAMP - '00:03:00'::interval)) AND ((m.payload ->> 'seq'::text) = (l.seq)::text))))))
  GROUP BY event;

-- COMMENT: VIEW realtime_undelivered
COMMENT ON VIEW private.realtime_undelivered IS 'Broadcasts logged as sent in the last minute (until 5 s ago) with no row in realtime.messages, by event.';

-- COMMENT: COLUMN realtime_undelivered.event
COMMENT ON COLUMN private.realtime_undelivered.event IS 'The event.';

-- COMMENT: COLUMN realtime_undelivered.events
COMMENT ON COLUMN private.realtime_undelivered.events IS 'How many were lost.';
