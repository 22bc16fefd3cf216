-- FUNCTION: resolve_mentions(text, uuid, public.dj_sessions)
CREATE FUNCTION private.resolve_mentions(p_body text, p_author_id uuid, p_session public.dj_sessions) RETURNS uuid[]
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  if strpos(p_body, '@') = 0 then
    return '{}';  -- most lines mention no one
  end if;
  return (
    select coalesce(array_agg(p.id order by p.handle), '{}')
    from (
      select distinct lower(m[1]) as handle from regexp_matches(p_body, '@([A-Za-z0-9_]{3,30})', 'g') as m
      limit (hidden.setting('max_mentions'))::integer
    ) as h
    join public.profiles as p on p.handle = h.handle
    where p.id <> p_author_id
      and not hidden.blocked_between(p.id, p_author_id)
      and (
        p_session.visibility = 'public' or p.id = p_session.dj_id
        or exists (select 1 from public.session_members as m where m.session_id = p_session.id and m.user_id = p.id)
      )
  );
end
$$;

-- COMMENT: FUNCTION resolve_mentions(p_body text, p_author_id uuid, p_session public.dj_sessions)
COMMENT ON FUNCTION private.resolve_mentions(p_body text, p_author_id uuid, p_session public.dj_sessions) IS '@handles in a message that name users who can see the room and have not blocked (or been blocked by) the author.';

-- ACL: FUNCTION resolve_mentions(p_body text, p_author_id uuid, p_session public.dj_sessions)
REVOKE ALL ON FUNCTION private.resolve_mentions(p_body text, p_author_id uuid, p_session public.dj_sessions) FROM PUBLIC;
