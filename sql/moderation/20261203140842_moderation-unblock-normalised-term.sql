/*
 * moderation-unblock-normalised-term: unblocking finds a term however its text was composed.
 *
 * Blocked terms are stored NFC by the text policy (foundation-text-policy); remove_blocked_term
 * compared the caller's text as sent, so "café" typed with a combining accent (NFD) did not find
 * the stored term and the call answered false. As 20261127190600, comparing the NFC form.
 */

create or replace function public.remove_blocked_term(p_term text, p_dj_id uuid default null) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_dj uuid := coalesce(p_dj_id, hidden.require_user());
begin
  delete from public.dj_blocked_terms as t where t.dj_id = v_dj and t.term = lower(btrim(normalize(p_term, nfc)));
  return found;
end
$$;
