-- TYPE: message_status
CREATE TYPE public.message_status AS ENUM (
    'visible',
    'held',
    'deleted'
);

-- COMMENT: TYPE message_status
COMMENT ON TYPE public.message_status IS 'visible; held for a moderator (blocked term); deleted (soft).';
