-- TABLE: push_messages
CREATE TABLE private.push_messages (
    id bigint NOT NULL,
    notification_id uuid NOT NULL,
    device_id uuid NOT NULL,
    kind public.notification_kind NOT NULL,
    collapse_key text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    ttl_seconds integer NOT NULL,
    status private.push_status DEFAULT 'queued'::private.push_status NOT NULL,
    not_before timestamp with time zone DEFAULT now() NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    claimed_at timestamp with time zone,
    collapsed_into bigint,
    collapsed_count integer DEFAULT 1 NOT NULL,
    ticket_id text,
    error text,
    receipt_status text,
    receipt_checked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    posted_at timestamp with time zone
);

-- COMMENT: TABLE push_messages
COMMENT ON TABLE private.push_messages IS 'One push per (notification, device): the outbox the push worker drains.';

-- COMMENT: COLUMN push_messages.id
COMMENT ON COLUMN private.push_messages.id IS 'Message id.';

-- COMMENT: COLUMN push_messages.notification_id
COMMENT ON COLUMN private.push_messages.notification_id IS 'The notification it pushes (one per user and event).';

-- COMMENT: COLUMN push_messages.device_id
COMMENT ON COLUMN private.push_messages.device_id IS 'Where to.';

-- COMMENT: COLUMN push_messages.kind
COMMENT ON COLUMN private.push_messages.kind IS 'The notification kind (for preferences and metrics).';

-- COMMENT: COLUMN push_messages.collapse_key
COMMENT ON COLUMN private.push_messages.collapse_key IS 'Messages waiting together with the same device and key are sent as one.';

-- COMMENT: COLUMN push_messages.title
COMMENT ON COLUMN private.push_messages.title IS 'Notification title.';

-- COMMENT: COLUMN push_messages.body
COMMENT ON COLUMN private.push_messages.body IS 'Notification text.';

-- COMMENT: COLUMN push_messages.data
COMMENT ON COLUMN private.push_messages.data IS 'Data for the app (what to open).';

-- COMMENT: COLUMN push_messages.ttl_seconds
COMMENT ON COLUMN private.push_messages.ttl_seconds IS 'How long the push is worth delivering (Expo ttl).';

-- COMMENT: COLUMN push_messages.status
COMMENT ON COLUMN private.push_messages.status IS 'See private.push_status.';

-- COMMENT: COLUMN push_messages.not_before
COMMENT ON COLUMN private.push_messages.not_before IS 'Not sent before (quiet hours, retry backoff).';

-- COMMENT: COLUMN push_messages.attempts
COMMENT ON COLUMN private.push_messages.attempts IS 'Send attempts so far.';

-- COMMENT: COLUMN push_messages.claimed_at
COMMENT ON COLUMN private.push_messages.claimed_at IS 'When a worker took it to send.';

-- COMMENT: COLUMN push_messages.collapsed_into
COMMENT ON COLUMN private.push_messages.collapsed_into IS 'The message it was folded into, if collapsed.';

-- COMMENT: COLUMN push_messages.collapsed_count
COMMENT ON COLUMN private.push_messages.collapsed_count IS 'How many messages this one stands for.';

-- COMMENT: COLUMN push_messages.ticket_id
COMMENT ON COLUMN private.push_messages.ticket_id IS 'Expo ticket (receipt) id once accepted.';

-- COMMENT: COLUMN push_messages.error
COMMENT ON COLUMN private.push_messages.error IS 'Expo error code or HTTP failure, if any.';

-- COMMENT: COLUMN push_messages.receipt_status
COMMENT ON COLUMN private.push_messages.receipt_status IS 'ok, an Expo receipt error code, or expired (no receipt in 24 h).';

-- COMMENT: COLUMN push_messages.receipt_checked_at
COMMENT ON COLUMN private.push_messages.receipt_checked_at IS 'When the receipt was read.';

-- COMMENT: COLUMN push_messages.created_at
COMMENT ON COLUMN private.push_messages.created_at IS 'When it was queued.';

-- COMMENT: COLUMN push_messages.sent_at
COMMENT ON COLUMN private.push_messages.sent_at IS 'When Expo accepted it.';

-- COMMENT: COLUMN push_messages.posted_at
COMMENT ON COLUMN private.push_messages.posted_at IS 'When the request carrying its current attempt left for Expo (NULL: claimed, not sent yet).';

-- SEQUENCE: push_messages_id_seq
ALTER TABLE private.push_messages ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME private.push_messages_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- CONSTRAINT: push_messages push_messages_notification_id_device_id_key
ALTER TABLE ONLY private.push_messages
    ADD CONSTRAINT push_messages_notification_id_device_id_key UNIQUE (notification_id, device_id);

-- CONSTRAINT: push_messages push_messages_pkey
ALTER TABLE ONLY private.push_messages
    ADD CONSTRAINT push_messages_pkey PRIMARY KEY (id);

-- INDEX: push_messages_claimed_idx
CREATE INDEX push_messages_claimed_idx ON private.push_messages USING btree (claimed_at);

-- INDEX: push_messages_collapsed_into_idx
CREATE INDEX push_messages_collapsed_into_idx ON private.push_messages USING btree (collapsed_into) WHERE (collapsed_into IS NOT NULL);

-- INDEX: push_messages_device_idx
CREATE INDEX push_messages_device_idx ON private.push_messages USING btree (device_id);

-- INDEX: push_messages_due_idx
CREATE INDEX push_messages_due_idx ON private.push_messages USING btree (not_before) WHERE (status = 'queued'::private.push_status);

-- INDEX: push_messages_receipts_idx
CREATE INDEX push_messages_receipts_idx ON private.push_messages USING btree (sent_at) WHERE ((status = 'sent'::private.push_status) AND (receipt_checked_at IS NULL));

-- INDEX: push_messages_sending_idx
CREATE INDEX push_messages_sending_idx ON private.push_messages USING btree (claimed_at) WHERE (status = 'sending'::private.push_status);

-- FK CONSTRAINT: push_messages push_messages_collapsed_into_fkey
ALTER TABLE ONLY private.push_messages
    ADD CONSTRAINT push_messages_collapsed_into_fkey FOREIGN KEY (collapsed_into) REFERENCES private.push_messages(id) ON DELETE SET NULL;

-- FK CONSTRAINT: push_messages push_messages_device_id_fkey
ALTER TABLE ONLY private.push_messages
    ADD CONSTRAINT push_messages_device_id_fkey FOREIGN KEY (device_id) REFERENCES public.push_devices(id) ON DELETE CASCADE;

-- FK CONSTRAINT: push_messages push_messages_notification_id_fkey
ALTER TABLE ONLY private.push_messages
    ADD CONSTRAINT push_messages_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES public.notifications(id) ON DELETE CASCADE;

-- ROW SECURITY: push_messages
ALTER TABLE private.push_messages ENABLE ROW LEVEL SECURITY;
