-- TYPE: session_visibility
CREATE TYPE public.session_visibility AS ENUM (
    'public',
    'followers',
    'private'
);

-- COMMENT: TYPE session_visibility
COMMENT ON TYPE public.session_visibility IS 'public: anyone; followers: the DJ''s followers; private: members who joined with the invite code.';
