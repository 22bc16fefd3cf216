-- TABLE: sms_sends
CREATE TABLE private.sms_sends (
    id bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    webhook_id text NOT NULL,
    user_id uuid,
    phone text NOT NULL,
    calling_code integer,
    prefix text,
    outcome text NOT NULL,
    reason text,
    provider_message_id text,
    CONSTRAINT sms_sends_calling_code_check CHECK (((calling_code >= 1) AND (calling_code <= 999))),
    CONSTRAINT sms_sends_check CHECK (((outcome = ANY (ARRAY['pending'::text, 'sent'::text])) = (reason IS NULL))),
    CONSTRAINT sms_sends_outcome_check CHECK ((outcome = ANY (ARRAY['pending'::text, 'sent'::text, 'refused'::text, 'failed'::text]))),
    CONSTRAINT sms_sends_phone_check CHECK (((length(phone) >= 1) AND (length(phone) <= 32))),
    CONSTRAINT sms_sends_prefix_check CHECK ((prefix ~ '^\+[0-9]{3,11}$'::text)),
    CONSTRAINT sms_sends_provider_message_id_check CHECK ((length(provider_message_id) <= 64)),
    CONSTRAINT sms_sends_reason_check CHECK ((reason ~ '^[A-Z0-9]{5}$'::text)),
    CONSTRAINT sms_sends_webhook_id_check CHECK (((length(webhook_id) >= 1) AND (length(webhook_id) <= 255)))
);

-- COMMENT: TABLE sms_sends
COMMENT ON TABLE private.sms_sends IS 'Every OTP text the send-SMS hook was asked for: sent, refused or failed. Never holds the code. Kept 90 days.';

-- COMMENT: COLUMN sms_sends.id
COMMENT ON COLUMN private.sms_sends.id IS 'Arrival order.';

-- COMMENT: COLUMN sms_sends.created_at
COMMENT ON COLUMN private.sms_sends.created_at IS 'When the hook received the request.';

-- COMMENT: COLUMN sms_sends.webhook_id
COMMENT ON COLUMN private.sms_sends.webhook_id IS 'The request''s webhook-id header (unique: a replayed request is refused).';

-- COMMENT: COLUMN sms_sends.user_id
COMMENT ON COLUMN private.sms_sends.user_id IS 'The Supabase Auth user the code is for (no foreign key: see the migration).';

-- COMMENT: COLUMN sms_sends.phone
COMMENT ON COLUMN private.sms_sends.phone IS 'Destination in E.164 (+ and digits); the raw value, cut to 32 characters, when it was not a phone number.';

-- COMMENT: COLUMN sms_sends.calling_code
COMMENT ON COLUMN private.sms_sends.calling_code IS 'Country calling code of the number (NULL when it did not parse).';

-- COMMENT: COLUMN sms_sends.prefix
COMMENT ON COLUMN private.sms_sends.prefix IS 'The number minus its last four digits: the range per-prefix limits count (NULL when it did not parse).';

-- COMMENT: COLUMN sms_sends.outcome
COMMENT ON COLUMN private.sms_sends.outcome IS 'pending (counted, provider not answered yet), sent, refused (by a rule, nothing sent) or failed (the provider refused or failed).';

-- COMMENT: COLUMN sms_sends.reason
COMMENT ON COLUMN private.sms_sends.reason IS 'Stable code of the rule that refused it or of the provider failure (docs/auth-sms.md); NULL when pending or sent.';

-- COMMENT: COLUMN sms_sends.provider_message_id
COMMENT ON COLUMN private.sms_sends.provider_message_id IS 'The provider''s id of the message (Twilio Message SID), when sent.';

-- SEQUENCE: sms_sends_id_seq
ALTER TABLE private.sms_sends ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME private.sms_sends_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- CONSTRAINT: sms_sends sms_sends_pkey
ALTER TABLE ONLY private.sms_sends
    ADD CONSTRAINT sms_sends_pkey PRIMARY KEY (id);

-- CONSTRAINT: sms_sends sms_sends_webhook_id_key
ALTER TABLE ONLY private.sms_sends
    ADD CONSTRAINT sms_sends_webhook_id_key UNIQUE (webhook_id);

-- INDEX: sms_sends_counted_idx
CREATE INDEX sms_sends_counted_idx ON private.sms_sends USING btree (created_at) WHERE (outcome = ANY (ARRAY['pending'::text, 'sent'::text]));

-- INDEX: sms_sends_created_brin
CREATE INDEX sms_sends_created_brin ON private.sms_sends USING brin (created_at);

-- INDEX: sms_sends_phone_idx
CREATE INDEX sms_sends_phone_idx ON private.sms_sends USING btree (phone, outcome, created_at);

-- INDEX: sms_sends_prefix_counted_idx
CREATE INDEX sms_sends_prefix_counted_idx ON private.sms_sends USING btree (prefix, created_at) WHERE (outcome = ANY (ARRAY['pending'::text, 'sent'::text]));

-- INDEX: sms_sends_reason_idx
CREATE INDEX sms_sends_reason_idx ON private.sms_sends USING btree (reason, created_at) WHERE (reason IS NOT NULL);

-- INDEX: sms_sends_user_idx
CREATE INDEX sms_sends_user_idx ON private.sms_sends USING btree (user_id);

-- ROW SECURITY: sms_sends
ALTER TABLE private.sms_sends ENABLE ROW LEVEL SECURITY;
