-- TYPE: directory_entry
CREATE TYPE public.directory_entry AS (
	id uuid,
	dj_id uuid,
	dj_handle text,
	dj_display_name text,
	dj_avatar_url text,
	title text,
	genre_tags text[],
	cover_url text,
	visibility public.session_visibility,
	status public.session_status,
	scheduled_for timestamp with time zone,
	started_at timestamp with time zone,
	listener_count integer,
	next_cursor text
);

-- COMMENT: TYPE directory_entry
COMMENT ON TYPE public.directory_entry IS 'One row of session_directory(); pass next_cursor of the last row to get the next page.';
