/*
 * auth-token-hook: the claims WhatsSound adds to every access token Supabase Auth issues
 * (sign-in and every refresh), configured as [auth.hook.custom_access_token] in config.toml.
 *
 * Supabase Auth calls public.custom_access_token_hook(event) as supabase_auth_admin, in a
 * transaction with a 2 s statement timeout, with {user_id, claims, authentication_method} and
 * uses the claims of what it returns. The hook adds one claim, `whatssound`:
 *   {v: 1, role: 'admin' | 'moderator' | null, dj: boolean, handle: text,
 *    entitlements: ['premium', ...]}   -- active at issue time
 * for the app's UI (show DJ tools, staff menus, premium badges) without an extra request.
 * RLS never reads these claims: policies and RPCs ask the tables (hidden.is_staff,
 * hidden.has_entitlement), so a change takes effect at once, not at the next refresh, and a
 * token minted before a change cannot grant anything. A test checks no function or policy
 * reads them.
 *
 * The hook never fails a sign-in: malformed events come back unchanged, and any error is
 * logged as a WARNING and the token issued without the claim. It reads three rows by primary
 * key (security invoker, as Supabase advises: supabase_auth_admin gets the grants and the
 * policies it needs, nothing more).
 */

grant usage on schema private to supabase_auth_admin;
grant select on public.profiles, public.entitlements, private.staff to supabase_auth_admin;
create policy "Supabase Auth reads profiles for token claims" on public.profiles
  for select to supabase_auth_admin using (true);
create policy "Supabase Auth reads entitlements for token claims" on public.entitlements
  for select to supabase_auth_admin using (true);
create policy "Supabase Auth reads staff roles for token claims" on private.staff
  for select to supabase_auth_admin using (true);

create function public.custom_access_token_hook(event jsonb) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_user uuid;
  v_claim jsonb;
begin
  if jsonb_typeof(event -> 'claims') is distinct from 'object'
    or coalesce(event ->> 'user_id', '') !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' then
    return event;  -- not what Supabase Auth sends: leave it to Auth to judge
  end if;
  v_user := (event ->> 'user_id')::uuid;
  select jsonb_build_object(
    'v', 1,
    'role', (select s.role from private.staff as s where s.user_id = v_user),
    'dj', coalesce(p.is_dj, false),
    'handle', p.handle,
    'entitlements', coalesce((
      select jsonb_agg(e.entitlement order by e.entitlement) from public.entitlements as e
      where e.user_id = v_user and (e.expires_at is null or e.expires_at > now())
    ), '[]')
  ) into v_claim
  from (select 1) as one
  left join public.profiles as p on p.id = v_user;
  return jsonb_set(event, '{claims,whatssound}', v_claim);
exception when others then
  raise warning 'custom_access_token_hook: % (%); token issued without the whatssound claim', sqlerrm, sqlstate;
  return event;
end
$$;
comment on function public.custom_access_token_hook(jsonb) is
  E'Supabase Auth''s custom access token hook: adds the whatssound claim {v, role, dj, handle, entitlements} '
  'for the app''s UI (RLS never reads it). Never fails a sign-in. Called by supabase_auth_admin only; the app '
  'reads the claim from its session.\n'
  'Example: const claim = jwtDecode(session.access_token).whatssound  // { v: 1, role: null, dj: true, ... }';
revoke execute on function public.custom_access_token_hook(jsonb) from public, anon, authenticated, service_role;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
