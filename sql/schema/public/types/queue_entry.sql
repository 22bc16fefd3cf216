-- TYPE: queue_entry
CREATE TYPE public.queue_entry AS (
	"position" integer,
	item_id uuid,
	status public.queue_status,
	track_id uuid,
	title text,
	artist text,
	duration_ms integer,
	artwork_url text,
	explicit boolean,
	requested_by uuid,
	requester_handle text,
	upvotes integer,
	downvotes integer,
	pinned boolean,
	fair_round integer,
	rank_key bigint[],
	requested_at timestamp with time zone,
	verified boolean
);

-- COMMENT: TYPE queue_entry
COMMENT ON TYPE public.queue_entry IS 'One row of queue_top(): a queued track with its position and why.';

-- COMMENT: COLUMN queue_entry.verified
COMMENT ON COLUMN public.queue_entry.verified IS 'Whether the title, artist and artwork are the provider''s (false: as the requester typed them).';
