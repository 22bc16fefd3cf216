-- TYPE: moderation_action
CREATE TYPE public.moderation_action AS ENUM (
    'ban',
    'timeout',
    'unban',
    'delete_message',
    'clear_messages',
    'approve_message',
    'appoint_moderator',
    'remove_moderator',
    'set_cohost',
    'add_blocked_term',
    'remove_blocked_term',
    'resolve_report'
);

-- COMMENT: TYPE moderation_action
COMMENT ON TYPE public.moderation_action IS 'What a moderation-log entry records.';
