-- TYPE: chain_verification
CREATE TYPE public.chain_verification AS (
	ok boolean,
	entries bigint,
	first_bad_seq bigint
);

-- COMMENT: TYPE chain_verification
COMMENT ON TYPE public.chain_verification IS 'Result of verify_moderation_log: ok, how many entries, the first broken one.';
