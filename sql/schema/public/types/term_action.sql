-- TYPE: term_action
CREATE TYPE public.term_action AS ENUM (
    'reject',
    'hold'
);

-- COMMENT: TYPE term_action
COMMENT ON TYPE public.term_action IS 'What a blocked term does: reject the message, or hold it for a moderator.';
