-- TYPE: ban_kind
CREATE TYPE public.ban_kind AS ENUM (
    'ban',
    'timeout'
);

-- COMMENT: TYPE ban_kind
COMMENT ON TYPE public.ban_kind IS 'ban: permanent, removes from the DJ''s rooms; timeout: no chat until it expires.';
