-- TYPE: member_role
CREATE TYPE public.member_role AS ENUM (
    'listener',
    'moderator',
    'cohost',
    'dj'
);

-- COMMENT: TYPE member_role
COMMENT ON TYPE public.member_role IS 'A member''s role in a session: the DJ, co-hosts the DJ picked, the DJ''s moderators, listeners.';
