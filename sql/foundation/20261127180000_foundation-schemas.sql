/*
 * foundation-schemas: the schema layout and default privileges every later migration assumes.
 *
 * - `public` is the API: only tables meant for clients (each with RLS) and RPC functions.
 * - `hidden` holds helpers that policies call: the API roles may use it, PostgREST does not
 *   expose it (it is not in [api] schemas), so nothing in it is callable over HTTP.
 * - `private` holds internals (security definer helpers, outbox, secrets): no API role may
 *   even use the schema.
 *
 * Nothing is granted implicitly: new functions are not executable by PUBLIC, and objects in
 * `public` get no privileges for anon/authenticated/service_role until a migration grants
 * them, one object at a time.
 */

create schema hidden;
comment on schema hidden is 'Helpers used by RLS policies: usable by the API roles, not exposed through PostgREST.';
grant usage on schema hidden to anon, authenticated, service_role;

create schema private;
comment on schema private is 'Internals (security definer helpers, outbox, secrets); no API role has usage.';
revoke all on schema private from public;

-- Functions created by the migration role are executable by nobody until granted.
alter default privileges for role postgres revoke execute on functions from public;
alter default privileges for role postgres in schema public
  revoke all on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke all on sequences from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke all on functions from anon, authenticated, service_role;
