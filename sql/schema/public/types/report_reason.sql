-- TYPE: report_reason
CREATE TYPE public.report_reason AS ENUM (
    'spam',
    'harassment',
    'hate',
    'sexual',
    'violence',
    'self_harm',
    'impersonation',
    'other'
);

-- COMMENT: TYPE report_reason
COMMENT ON TYPE public.report_reason IS 'Why something is reported.';
