-- FUNCTION: my_tip_balance()
CREATE FUNCTION public.my_tip_balance() RETURNS json
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$ select hidden.my_tip_balance() $$;

-- COMMENT: FUNCTION my_tip_balance()
COMMENT ON FUNCTION public.my_tip_balance() IS 'Your tip earnings from the ledger, per currency, in the smallest unit: [{currency, available, held}] (held: under dispute). Stripe pays out to your connected account on its schedule.
Errors: 42501 (HTTP 401) without a signed-in user.
Example: const { data } = await supabase.rpc(''my_tip_balance'')';

-- ACL: FUNCTION my_tip_balance()
REVOKE ALL ON FUNCTION public.my_tip_balance() FROM PUBLIC;
GRANT ALL ON FUNCTION public.my_tip_balance() TO authenticated;
