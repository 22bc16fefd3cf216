-- TYPE: queue_status
CREATE TYPE public.queue_status AS ENUM (
    'queued',
    'playing',
    'played',
    'skipped',
    'rejected',
    'withdrawn'
);

-- COMMENT: TYPE queue_status
COMMENT ON TYPE public.queue_status IS 'queued -> playing -> played | skipped; queued -> rejected | withdrawn.';
