-- TYPE: report_status
CREATE TYPE public.report_status AS ENUM (
    'open',
    'actioned',
    'dismissed'
);

-- COMMENT: TYPE report_status
COMMENT ON TYPE public.report_status IS 'Report queue state.';
