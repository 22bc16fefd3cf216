-- TYPE: report_target
CREATE TYPE public.report_target AS ENUM (
    'message',
    'user',
    'session'
);

-- COMMENT: TYPE report_target
COMMENT ON TYPE public.report_target IS 'What a report is about.';
