-- VIEW: media_health
CREATE VIEW private.media_health WITH (security_invoker='true') AS
 SELECT 'asset'::text AS kind,
    (a.status)::text AS state,
    count(*) AS items,
    EXTRACT(epoch FROM (now() - min(a.updated_at))) AS oldest_s
   FROM public.audio_assets a
  GROUP BY a.status
UNION ALL
 SELECT 'backup'::text AS kind,
    b.state,
    count(*) AS items,
    EXTRACT(epoch FROM (now() - min(b.updated_at))) AS oldest_s
   FROM private.media_backups b
  GROUP BY b.state;

-- COMMENT: VIEW media_health
COMMENT ON VIEW private.media_health IS 'Audio assets per status and backups per state, with how long the oldest has been in it (seconds).';
