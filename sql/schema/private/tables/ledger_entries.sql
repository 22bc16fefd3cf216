-- TABLE: ledger_entries
CREATE TABLE private.ledger_entries (
    id bigint NOT NULL,
    tip_id uuid NOT NULL,
    movement text NOT NULL,
    account text NOT NULL,
    amount bigint NOT NULL,
    currency text NOT NULL,
    event_id text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ledger_entries_account_check CHECK ((account ~ '^(stripe|platform_fees|dj:[0-9a-f-]{36}|dj_held:[0-9a-f-]{36})$'::text))
);

-- COMMENT: TABLE ledger_entries
COMMENT ON TABLE private.ledger_entries IS 'Double-entry ledger: each movement of a tip is entries summing to zero.';

-- COMMENT: COLUMN ledger_entries.id
COMMENT ON COLUMN private.ledger_entries.id IS 'Order written.';

-- COMMENT: COLUMN ledger_entries.tip_id
COMMENT ON COLUMN private.ledger_entries.tip_id IS 'The tip moved.';

-- COMMENT: COLUMN ledger_entries.movement
COMMENT ON COLUMN private.ledger_entries.movement IS 'succeeded, refund:<cumulative amount>, dispute:<id>:opened|won|lost.';

-- COMMENT: COLUMN ledger_entries.account
COMMENT ON COLUMN private.ledger_entries.account IS 'stripe (money outside), platform_fees, dj:<id>, dj_held:<id> (disputed).';

-- COMMENT: COLUMN ledger_entries.amount
COMMENT ON COLUMN private.ledger_entries.amount IS 'Signed amount in the smallest currency unit.';

-- COMMENT: COLUMN ledger_entries.currency
COMMENT ON COLUMN private.ledger_entries.currency IS 'The tip''s currency.';

-- COMMENT: COLUMN ledger_entries.event_id
COMMENT ON COLUMN private.ledger_entries.event_id IS 'The Stripe event that caused it.';

-- COMMENT: COLUMN ledger_entries.created_at
COMMENT ON COLUMN private.ledger_entries.created_at IS 'When it was written.';

-- SEQUENCE: ledger_entries_id_seq
ALTER TABLE private.ledger_entries ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME private.ledger_entries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- CONSTRAINT: ledger_entries ledger_entries_pkey
ALTER TABLE ONLY private.ledger_entries
    ADD CONSTRAINT ledger_entries_pkey PRIMARY KEY (id);

-- CONSTRAINT: ledger_entries ledger_entries_tip_id_movement_account_key
ALTER TABLE ONLY private.ledger_entries
    ADD CONSTRAINT ledger_entries_tip_id_movement_account_key UNIQUE (tip_id, movement, account);

-- INDEX: ledger_entries_account_idx
CREATE INDEX ledger_entries_account_idx ON private.ledger_entries USING btree (account, currency);

-- FK CONSTRAINT: ledger_entries ledger_entries_tip_id_fkey
ALTER TABLE ONLY private.ledger_entries
    ADD CONSTRAINT ledger_entries_tip_id_fkey FOREIGN KEY (tip_id) REFERENCES public.tips(id) ON DELETE RESTRICT;

-- ROW SECURITY: ledger_entries
ALTER TABLE private.ledger_entries ENABLE ROW LEVEL SECURITY;
