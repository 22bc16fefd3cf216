-- TYPE: membership
CREATE TYPE public.membership AS (
	session_id uuid,
	user_id uuid,
	role public.member_role,
	joined_at timestamp with time zone,
	session_status public.session_status,
	listener_count integer,
	timeout_until timestamp with time zone
);

-- COMMENT: TYPE membership
COMMENT ON TYPE public.membership IS 'What join_session and heartbeat return: your place in the room and its state.';
