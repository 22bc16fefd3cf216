-- TYPE: push_status
CREATE TYPE private.push_status AS ENUM (
    'queued',
    'sending',
    'sent',
    'failed',
    'suppressed',
    'collapsed',
    'unknown',
    'expired'
);

-- COMMENT: TYPE push_status
COMMENT ON TYPE private.push_status IS 'queued -> sending -> sent | failed (or queued again to retry); suppressed (quiet hours), collapsed (folded into another), unknown (its worker died after the request left: Expo''s answer never recorded, not re-sent), expired (older than its useful life, dropped unsent).';
