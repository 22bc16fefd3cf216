-- FUNCTION: custom_access_token_hook(jsonb)
CREATE FUNCTION public.custom_access_token_hook(event jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $_$
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
$_$;

-- COMMENT: FUNCTION custom_access_token_hook(event jsonb)
COMMENT ON FUNCTION public.custom_access_token_hook(event jsonb) IS 'Supabase Auth''s custom access token hook: adds the whatssound claim {v, role, dj, handle, entitlements} for the app''s UI (RLS never reads it). Never fails a sign-in. Called by supabase_auth_admin only; the app reads the claim from its session.
Example: const claim = jwtDecode(session.access_token).whatssound  // { v: 1, role: null, dj: true, ... }';

-- ACL: FUNCTION custom_access_token_hook(event jsonb)
REVOKE ALL ON FUNCTION public.custom_access_token_hook(event jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.custom_access_token_hook(event jsonb) TO supabase_auth_admin;
