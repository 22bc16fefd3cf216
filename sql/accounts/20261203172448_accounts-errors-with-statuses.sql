/*
 * accounts-errors-with-statuses: this domain's errors reach the app with the HTTP status they mean
 * (issue 19 §1).
 *
 * Every raise of a code whose status is not 400 (docs/error-codes.md, HTTP column) becomes a
 * PGRST raise built by hidden.api_error / hidden.api_response
 * (20261203172346_foundation-api-statuses.sql says why: PostgREST answers P0002 with 500 and
 * our own codes with 400). Nothing else changes: each function is restated from its newest
 * definition (named above it), with the same code, message, hint and details.
 * Restated: private.tg_session_plays__append_only.
 */

-- From 20261127220400_accounts-lifecycle.sql.
create or replace function private.tg_session_plays__append_only() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if TG_OP = 'UPDATE' and NEW.requested_by is null
    and (NEW.id, NEW.session_id, NEW.item_id, NEW.track_id, NEW.outcome, NEW.started_at, NEW.ended_at,
      NEW.upvotes, NEW.downvotes, NEW.skip_votes, NEW.reason)
    is not distinct from (OLD.id, OLD.session_id, OLD.item_id, OLD.track_id, OLD.outcome, OLD.started_at,
      OLD.ended_at, OLD.upvotes, OLD.downvotes, OLD.skip_votes, OLD.reason) then
    return NEW;
  end if;
  raise sqlstate 'PGRST' using
    message = hidden.api_error(
      'NOEDT',
      'The play log is append-only.',
      'Only detaching a deleted requester is allowed.'
    ),
    detail = hidden.api_response('NOEDT');
end
$$;
