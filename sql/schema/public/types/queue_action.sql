-- TYPE: queue_action
CREATE TYPE public.queue_action AS ENUM (
    'play',
    'play_next',
    'pin',
    'unpin',
    'move',
    'finish',
    'skip',
    'reject',
    'advance'
);

-- COMMENT: TYPE queue_action
COMMENT ON TYPE public.queue_action IS 'What control_queue does (see its comment).';
