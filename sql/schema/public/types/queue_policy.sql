-- TYPE: queue_policy
CREATE TYPE public.queue_policy AS ENUM (
    'votes',
    'fair_share',
    'hybrid'
);

-- COMMENT: TYPE queue_policy
COMMENT ON TYPE public.queue_policy IS 'How a session orders its queue (see docs/queue-ranking.md).';
