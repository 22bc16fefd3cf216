-- TYPE: notification_kind
CREATE TYPE public.notification_kind AS ENUM (
    'mention',
    'new_follower',
    'dj_live',
    'request_playing',
    'tip_received',
    'subscription'
);

-- COMMENT: TYPE notification_kind
COMMENT ON TYPE public.notification_kind IS 'What a notification is about.';
