-- FUNCTION: begin_payout_onboarding()
CREATE FUNCTION hidden.begin_payout_onboarding() RETURNS public.payout_accounts
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_account public.payout_accounts;
begin
  if hidden.is_anonymous(v_uid) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        'Guests cannot receive tips.',
        'Sign in with a phone number, Apple or Google first.'
      ),
      detail = hidden.api_response('ANONY');
  elsif not coalesce((select p.is_dj from public.profiles as p where p.id = v_uid), false) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('DJONL', 'Only DJs set up payouts.', 'Turn on DJ mode in your profile first.'),
      detail = hidden.api_response('DJONL');
  end if;
  select * into v_account from public.payout_accounts as a where a.dj_id = v_uid;  -- RLS: their own
  return v_account;
end
$$;

-- COMMENT: FUNCTION begin_payout_onboarding()
COMMENT ON FUNCTION hidden.begin_payout_onboarding() IS 'As the caller: check they may onboard (a signed-in DJ) and return their payout account, if any (id NULL when none). Called by the connect-onboarding edge function. Errors: LOGIN; ANONY; DJONL.';

-- ACL: FUNCTION begin_payout_onboarding()
REVOKE ALL ON FUNCTION hidden.begin_payout_onboarding() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.begin_payout_onboarding() TO authenticated;
