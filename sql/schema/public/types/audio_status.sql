-- TYPE: audio_status
CREATE TYPE public.audio_status AS ENUM (
    'queued',
    'processing',
    'ready',
    'failed'
);

-- COMMENT: TYPE audio_status
COMMENT ON TYPE public.audio_status IS 'An uploaded set''s processing: queued (job waiting), processing, ready (playable), failed (see failure_code).';
