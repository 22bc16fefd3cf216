-- TABLE: tip_currencies
CREATE TABLE public.tip_currencies (
    currency text NOT NULL,
    decimals smallint NOT NULL,
    minimum integer NOT NULL,
    maximum integer NOT NULL,
    CONSTRAINT tip_currencies_check CHECK ((maximum >= minimum)),
    CONSTRAINT tip_currencies_currency_check CHECK ((currency ~ '^[a-z]{3}$'::text)),
    CONSTRAINT tip_currencies_decimals_check CHECK ((decimals = ANY (ARRAY[0, 2]))),
    CONSTRAINT tip_currencies_minimum_check CHECK ((minimum > 0))
);

-- COMMENT: TABLE tip_currencies
COMMENT ON TABLE public.tip_currencies IS 'Currencies tips may be given in, with their limits (amounts in the smallest unit, as Stripe counts them).';

-- COMMENT: COLUMN tip_currencies.currency
COMMENT ON COLUMN public.tip_currencies.currency IS 'ISO 4217 code, lower-case.';

-- COMMENT: COLUMN tip_currencies.decimals
COMMENT ON COLUMN public.tip_currencies.decimals IS 'Minor-unit digits: 2 (usd: 150 = $1.50) or 0 (zero-decimal: jpy 500 = 500 yen).';

-- COMMENT: COLUMN tip_currencies.minimum
COMMENT ON COLUMN public.tip_currencies.minimum IS 'Smallest tip, smallest unit (above Stripe''s own minimum charge).';

-- COMMENT: COLUMN tip_currencies.maximum
COMMENT ON COLUMN public.tip_currencies.maximum IS 'Largest tip, smallest unit (a fraud and mistake guard).';

-- CONSTRAINT: tip_currencies tip_currencies_pkey
ALTER TABLE ONLY public.tip_currencies
    ADD CONSTRAINT tip_currencies_pkey PRIMARY KEY (currency);

-- POLICY: tip_currencies Anyone reads the tip currencies
CREATE POLICY "Anyone reads the tip currencies" ON public.tip_currencies FOR SELECT TO anon, authenticated USING (true);

-- ROW SECURITY: tip_currencies
ALTER TABLE public.tip_currencies ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE tip_currencies
GRANT SELECT ON TABLE public.tip_currencies TO anon;
GRANT SELECT ON TABLE public.tip_currencies TO authenticated;


--
-- PostgreSQL database dump complete
