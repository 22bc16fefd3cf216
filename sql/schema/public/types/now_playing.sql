-- TYPE: now_playing
CREATE TYPE public.now_playing AS (
	item_id uuid,
	track_id uuid,
	title text,
	artist text,
	duration_ms integer,
	artwork_url text,
	requested_by uuid,
	started_at timestamp with time zone,
	server_time timestamp with time zone,
	upvotes integer,
	downvotes integer,
	skip_votes integer,
	verified boolean
);

-- COMMENT: TYPE now_playing
COMMENT ON TYPE public.now_playing IS 'The playing track with its start time and the server''s clock (progress = server_time - started_at).';

-- COMMENT: COLUMN now_playing.verified
COMMENT ON COLUMN public.now_playing.verified IS 'Whether the title, artist and artwork are the provider''s (false: as the requester typed them).';
