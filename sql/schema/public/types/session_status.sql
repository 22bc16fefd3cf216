-- TYPE: session_status
CREATE TYPE public.session_status AS ENUM (
    'scheduled',
    'live',
    'ended'
);

-- COMMENT: TYPE session_status
COMMENT ON TYPE public.session_status IS 'Lifecycle: scheduled -> live -> ended (or scheduled -> ended: cancelled).';
