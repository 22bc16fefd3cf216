-- TYPE: skip_status
CREATE TYPE public.skip_status AS (
	item_id uuid,
	votes integer,
	needed integer,
	skipped boolean
);

-- COMMENT: TYPE skip_status
COMMENT ON TYPE public.skip_status IS 'vote_skip''s result: votes so far, votes needed (NULL: skipping off), whether it skipped.';
