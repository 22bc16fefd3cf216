-- TYPE: request_result
CREATE TYPE public.request_result AS (
	item public.queue_items,
	track public.tracks,
	was_already_queued boolean
);

-- COMMENT: TYPE request_result
COMMENT ON TYPE public.request_result IS 'What request_track returns: the item, its track, and whether it was a vote for an existing request.';
