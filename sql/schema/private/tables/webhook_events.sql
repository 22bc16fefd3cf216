-- TABLE: webhook_events
CREATE TABLE private.webhook_events (
    id bigint NOT NULL,
    provider text NOT NULL,
    event_id text NOT NULL,
    event_type text NOT NULL,
    livemode boolean NOT NULL,
    account text,
    provider_created_at timestamp with time zone NOT NULL,
    payload jsonb NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    deliveries integer DEFAULT 1 NOT NULL,
    last_delivery_at timestamp with time zone DEFAULT now() NOT NULL,
    handled_at timestamp with time zone,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    last_error text,
    CONSTRAINT webhook_events_event_id_check CHECK (((char_length(event_id) >= 1) AND (char_length(event_id) <= 255))),
    CONSTRAINT webhook_events_event_type_check CHECK (((char_length(event_type) >= 1) AND (char_length(event_type) <= 255))),
    CONSTRAINT webhook_events_provider_check CHECK ((provider = ANY (ARRAY['stripe'::text, 'stripe_connect'::text, 'revenuecat'::text])))
);

-- COMMENT: TABLE webhook_events
COMMENT ON TABLE private.webhook_events IS 'Event ledger: every verified webhook delivery, once per (provider, event id), processed asynchronously.';

-- COMMENT: COLUMN webhook_events.id
COMMENT ON COLUMN private.webhook_events.id IS 'Arrival order (not the providers'' order).';

-- COMMENT: COLUMN webhook_events.provider
COMMENT ON COLUMN private.webhook_events.provider IS 'stripe (platform endpoint), stripe_connect (Connect endpoint) or revenuecat.';

-- COMMENT: COLUMN webhook_events.event_id
COMMENT ON COLUMN private.webhook_events.event_id IS 'The provider''s event id (evt_..., RevenueCat event.id).';

-- COMMENT: COLUMN webhook_events.event_type
COMMENT ON COLUMN private.webhook_events.event_type IS 'The provider''s event type (payment_intent.succeeded, RENEWAL, ...).';

-- COMMENT: COLUMN webhook_events.livemode
COMMENT ON COLUMN private.webhook_events.livemode IS 'Stripe livemode; RevenueCat environment = PRODUCTION. Test events never grant anything live.';

-- COMMENT: COLUMN webhook_events.account
COMMENT ON COLUMN private.webhook_events.account IS 'Stripe Connect: the connected account (acct_...) the event is about.';

-- COMMENT: COLUMN webhook_events.provider_created_at
COMMENT ON COLUMN private.webhook_events.provider_created_at IS 'When the provider created the event: what processing orders and guards by.';

-- COMMENT: COLUMN webhook_events.payload
COMMENT ON COLUMN private.webhook_events.payload IS 'The whole event as verified (JSON).';

-- COMMENT: COLUMN webhook_events.received_at
COMMENT ON COLUMN private.webhook_events.received_at IS 'First delivery.';

-- COMMENT: COLUMN webhook_events.deliveries
COMMENT ON COLUMN private.webhook_events.deliveries IS 'How many times it was delivered (duplicates counted, not stored).';

-- COMMENT: COLUMN webhook_events.last_delivery_at
COMMENT ON COLUMN private.webhook_events.last_delivery_at IS 'Latest delivery.';

-- COMMENT: COLUMN webhook_events.handled_at
COMMENT ON COLUMN private.webhook_events.handled_at IS 'When processing finished (NULL: still to do).';

-- COMMENT: COLUMN webhook_events.attempts
COMMENT ON COLUMN private.webhook_events.attempts IS 'Processing attempts so far.';

-- COMMENT: COLUMN webhook_events.next_attempt_at
COMMENT ON COLUMN private.webhook_events.next_attempt_at IS 'Not before this (retries back off; an event ahead of its tip waits).';

-- COMMENT: COLUMN webhook_events.last_error
COMMENT ON COLUMN private.webhook_events.last_error IS 'Why the last attempt did not finish.';

-- SEQUENCE: webhook_events_id_seq
ALTER TABLE private.webhook_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME private.webhook_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- CONSTRAINT: webhook_events webhook_events_pkey
ALTER TABLE ONLY private.webhook_events
    ADD CONSTRAINT webhook_events_pkey PRIMARY KEY (id);

-- CONSTRAINT: webhook_events webhook_events_provider_event_id_key
ALTER TABLE ONLY private.webhook_events
    ADD CONSTRAINT webhook_events_provider_event_id_key UNIQUE (provider, event_id);

-- INDEX: webhook_events_todo_idx
CREATE INDEX webhook_events_todo_idx ON private.webhook_events USING btree (next_attempt_at) WHERE (handled_at IS NULL);

-- TRIGGER: webhook_events _700_billing_issue
CREATE TRIGGER _700_billing_issue AFTER UPDATE OF handled_at ON private.webhook_events FOR EACH ROW WHEN (((old.handled_at IS NULL) AND (new.handled_at IS NOT NULL))) EXECUTE FUNCTION private.tg_webhook_events__billing_issue();

-- ROW SECURITY: webhook_events
ALTER TABLE private.webhook_events ENABLE ROW LEVEL SECURITY;
