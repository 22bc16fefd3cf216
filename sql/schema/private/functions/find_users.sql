-- FUNCTION: find_users(text)
CREATE FUNCTION private.find_users(p_query text) RETURNS TABLE(id uuid, handle text, name text, phone text, email text, created_at timestamp with time zone, banned_until timestamp with time zone)
    LANGUAGE sql STABLE STRICT
    SET search_path TO ''
    AS $$
  with q as (
    select
      btrim(p_query) as text,
      case
        when char_length(regexp_replace(p_query, '[^0-9]', '', 'g')) >= 6
          then regexp_replace(p_query, '[^0-9]', '', 'g')
        else ''
      end as digits
  )
  select p.id, p.handle, p.display_name, u.phone::text, u.email::text, u.created_at, u.banned_until
  from public.profiles as p
  inner join auth.users as u on p.id = u.id
  cross join q
  where p.handle ilike '%' || q.text || '%' or p.display_name ilike '%' || q.text || '%'
    or (q.digits <> '' and u.phone like '%' || q.digits || '%')
    or u.email ilike q.text or p.id::text = q.text
  order by p.handle
  limit 20
$$;

-- COMMENT: FUNCTION find_users(p_query text)
COMMENT ON FUNCTION private.find_users(p_query text) IS 'At most 20 users whose handle or display name contains the query, whose phone contains its digits (6 or more), whose email is it, or whose id it is (whatssound users find).';

-- ACL: FUNCTION find_users(p_query text)
REVOKE ALL ON FUNCTION private.find_users(p_query text) FROM PUBLIC;
