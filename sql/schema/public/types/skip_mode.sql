-- TYPE: skip_mode
CREATE TYPE public.skip_mode AS ENUM (
    'off',
    'percent',
    'log'
);

-- COMMENT: TYPE skip_mode
COMMENT ON TYPE public.skip_mode IS 'Vote-to-skip threshold: off, a percentage of present listeners, or log-scale.';
