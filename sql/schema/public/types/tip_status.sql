-- TYPE: tip_status
CREATE TYPE public.tip_status AS ENUM (
    'pending',
    'succeeded',
    'failed',
    'refunded'
);

-- COMMENT: TYPE tip_status
COMMENT ON TYPE public.tip_status IS 'pending (payment sheet open) -> succeeded | failed; succeeded -> refunded once fully refunded.';
