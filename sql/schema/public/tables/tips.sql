-- TABLE: tips
CREATE TABLE public.tips (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    session_id uuid,
    dj_id uuid,
    tipper_id uuid,
    amount integer NOT NULL,
    currency text NOT NULL,
    fee_amount integer NOT NULL,
    message text,
    boost_item_id uuid,
    status public.tip_status DEFAULT 'pending'::public.tip_status NOT NULL,
    payment_intent_id text,
    charge_id text,
    amount_refunded integer DEFAULT 0 NOT NULL,
    amount_lost integer DEFAULT 0 NOT NULL,
    dispute_status text,
    failure_code text,
    event_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    succeeded_at timestamp with time zone,
    client_request_id uuid,
    dispute_event_at timestamp with time zone,
    CONSTRAINT tips_amount_check CHECK (((amount > 0) AND (amount <= 99999999))),
    CONSTRAINT tips_amount_lost_check CHECK ((amount_lost >= 0)),
    CONSTRAINT tips_amount_refunded_check CHECK ((amount_refunded >= 0)),
    CONSTRAINT tips_check CHECK (((fee_amount <= amount) AND (amount_refunded <= amount))),
    CONSTRAINT tips_currency_check CHECK ((currency ~ '^[a-z]{3}$'::text)),
    CONSTRAINT tips_fee_amount_check CHECK ((fee_amount >= 0)),
    CONSTRAINT tips_message_check CHECK ((char_length(message) <= 200)),
    CONSTRAINT tips_payment_intent_id_check CHECK ((payment_intent_id ~ '^pi_[A-Za-z0-9_]+$'::text))
);

-- COMMENT: TABLE tips
COMMENT ON TABLE public.tips IS 'A listener''s tip to a DJ in a session, paid through Stripe (destination charge).';

-- COMMENT: COLUMN tips.id
COMMENT ON COLUMN public.tips.id IS 'The tip (its id is in the PaymentIntent''s metadata and idempotency key).';

-- COMMENT: COLUMN tips.session_id
COMMENT ON COLUMN public.tips.session_id IS 'The session it was given in (NULL once the session is deleted).';

-- COMMENT: COLUMN tips.dj_id
COMMENT ON COLUMN public.tips.dj_id IS 'Who receives it (NULL once the DJ''s account is deleted; the ledger keeps balancing).';

-- COMMENT: COLUMN tips.tipper_id
COMMENT ON COLUMN public.tips.tipper_id IS 'Who gave it (NULL once the tipper''s account is deleted).';

-- COMMENT: COLUMN tips.amount
COMMENT ON COLUMN public.tips.amount IS 'Amount in the currency''s smallest unit.';

-- COMMENT: COLUMN tips.currency
COMMENT ON COLUMN public.tips.currency IS 'ISO currency, lower-case.';

-- COMMENT: COLUMN tips.fee_amount
COMMENT ON COLUMN public.tips.fee_amount IS 'The platform''s application fee, same unit.';

-- COMMENT: COLUMN tips.message
COMMENT ON COLUMN public.tips.message IS 'Optional message to the DJ.';

-- COMMENT: COLUMN tips.boost_item_id
COMMENT ON COLUMN public.tips.boost_item_id IS 'The request it boosts, if any (bounded by tip_boost_cap).';

-- COMMENT: COLUMN tips.status
COMMENT ON COLUMN public.tips.status IS 'pending, succeeded, failed or refunded (fully); see tip_status.';

-- COMMENT: COLUMN tips.payment_intent_id
COMMENT ON COLUMN public.tips.payment_intent_id IS 'Stripe PaymentIntent (pi_...).';

-- COMMENT: COLUMN tips.charge_id
COMMENT ON COLUMN public.tips.charge_id IS 'Stripe charge (ch_...) once it succeeded.';

-- COMMENT: COLUMN tips.amount_refunded
COMMENT ON COLUMN public.tips.amount_refunded IS 'Refunded so far (partial refunds accumulate).';

-- COMMENT: COLUMN tips.amount_lost
COMMENT ON COLUMN public.tips.amount_lost IS 'Lost to disputes (charged back).';

-- COMMENT: COLUMN tips.dispute_status
COMMENT ON COLUMN public.tips.dispute_status IS 'Stripe dispute status if disputed (needs_response, won, lost, ...).';

-- COMMENT: COLUMN tips.failure_code
COMMENT ON COLUMN public.tips.failure_code IS 'Why the payment failed (Stripe last_payment_error code).';

-- COMMENT: COLUMN tips.event_at
COMMENT ON COLUMN public.tips.event_at IS 'Time of the newest Stripe event applied (older ones never overwrite).';

-- COMMENT: COLUMN tips.created_at
COMMENT ON COLUMN public.tips.created_at IS 'When the tip was started.';

-- COMMENT: COLUMN tips.succeeded_at
COMMENT ON COLUMN public.tips.succeeded_at IS 'When the payment succeeded.';

-- COMMENT: COLUMN tips.client_request_id
COMMENT ON COLUMN public.tips.client_request_id IS 'The app''s id for this tip attempt (one per tap on "tip"); retries with it find the same tip.';

-- COMMENT: COLUMN tips.dispute_event_at
COMMENT ON COLUMN public.tips.dispute_event_at IS 'Time of the Stripe event that set dispute_status (with Stripe''s dispute machine, decides what may replace it).';

-- COMMENT: CONSTRAINT tips_amount_check ON tips
COMMENT ON CONSTRAINT tips_amount_check ON public.tips IS 'An amount is 1 to 99999999 in the currency''s smallest unit.';

-- COMMENT: CONSTRAINT tips_message_check ON tips
COMMENT ON CONSTRAINT tips_message_check ON public.tips IS 'A message is at most 200 characters.';

-- CONSTRAINT: tips tips_client_request_key
ALTER TABLE ONLY public.tips
    ADD CONSTRAINT tips_client_request_key UNIQUE (tipper_id, client_request_id);

-- CONSTRAINT: tips tips_payment_intent_id_key
ALTER TABLE ONLY public.tips
    ADD CONSTRAINT tips_payment_intent_id_key UNIQUE (payment_intent_id);

-- CONSTRAINT: tips tips_pkey
ALTER TABLE ONLY public.tips
    ADD CONSTRAINT tips_pkey PRIMARY KEY (id);

-- INDEX: tips_boost_item_idx
CREATE INDEX tips_boost_item_idx ON public.tips USING btree (boost_item_id) WHERE (boost_item_id IS NOT NULL);

-- INDEX: tips_dj_idx
CREATE INDEX tips_dj_idx ON public.tips USING btree (dj_id, created_at DESC);

-- INDEX: tips_session_idx
CREATE INDEX tips_session_idx ON public.tips USING btree (session_id, status);

-- INDEX: tips_tipper_idx
CREATE INDEX tips_tipper_idx ON public.tips USING btree (tipper_id, created_at DESC);

-- TRIGGER: tips _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF message ON public.tips FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('message:text');

-- TRIGGER: tips _100_start
CREATE TRIGGER _100_start BEFORE INSERT ON public.tips FOR EACH ROW EXECUTE FUNCTION private.tg_tips__start();

-- TRIGGER: tips _600_realtime
CREATE TRIGGER _600_realtime AFTER UPDATE OF status ON public.tips FOR EACH ROW EXECUTE FUNCTION private.tg_tips__realtime();

-- TRIGGER: tips _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE INSERT ON public.tips FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: tips tips_boost_item_id_fkey
ALTER TABLE ONLY public.tips
    ADD CONSTRAINT tips_boost_item_id_fkey FOREIGN KEY (boost_item_id) REFERENCES public.queue_items(id) ON DELETE SET NULL;

-- FK CONSTRAINT: tips tips_dj_id_fkey
ALTER TABLE ONLY public.tips
    ADD CONSTRAINT tips_dj_id_fkey FOREIGN KEY (dj_id) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: tips tips_session_id_fkey
ALTER TABLE ONLY public.tips
    ADD CONSTRAINT tips_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.dj_sessions(id) ON DELETE SET NULL;

-- FK CONSTRAINT: tips tips_tipper_id_fkey
ALTER TABLE ONLY public.tips
    ADD CONSTRAINT tips_tipper_id_fkey FOREIGN KEY (tipper_id) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- POLICY: tips Tippers and DJs read their tips
CREATE POLICY "Tippers and DJs read their tips" ON public.tips FOR SELECT TO authenticated USING (((( SELECT auth.uid() AS uid) = tipper_id) OR (( SELECT auth.uid() AS uid) = dj_id)));

-- POLICY: tips Tippers record their pending tips
CREATE POLICY "Tippers record their pending tips" ON public.tips FOR INSERT TO authenticated WITH CHECK (((tipper_id = ( SELECT auth.uid() AS uid)) AND (status = 'pending'::public.tip_status)));

-- ROW SECURITY: tips
ALTER TABLE public.tips ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE tips
GRANT SELECT ON TABLE public.tips TO authenticated;

-- ACL: COLUMN tips.session_id
GRANT INSERT(session_id) ON TABLE public.tips TO authenticated;

-- ACL: COLUMN tips.amount
GRANT INSERT(amount) ON TABLE public.tips TO authenticated;

-- ACL: COLUMN tips.currency
GRANT INSERT(currency) ON TABLE public.tips TO authenticated;

-- ACL: COLUMN tips.message
GRANT INSERT(message) ON TABLE public.tips TO authenticated;

-- ACL: COLUMN tips.boost_item_id
GRANT INSERT(boost_item_id) ON TABLE public.tips TO authenticated;

-- ACL: COLUMN tips.client_request_id
GRANT INSERT(client_request_id) ON TABLE public.tips TO authenticated;
