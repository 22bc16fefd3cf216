-- FUNCTION: session_directory(integer, text, text)
CREATE FUNCTION public.session_directory(p_limit integer DEFAULT 20, p_cursor text DEFAULT NULL::text, p_genre text DEFAULT NULL::text) RETURNS SETOF public.directory_entry
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_limit integer := least(greatest(coalesce(p_limit, 20), 1), 100);
  v_parts text[] := string_to_array(p_cursor, '|');
  v_phase text := coalesce(v_parts[1], 'L');
  v_count integer;
  v_started timestamptz;
  v_planned timestamptz;
  v_id uuid;
begin
  begin
    if v_phase = 'L' and p_cursor is not null then
      v_count := v_parts[2]::integer;
      v_started := v_parts[3]::timestamptz;
      v_id := v_parts[4]::uuid;
    elsif v_phase = 'S' then
      v_planned := v_parts[2]::timestamptz;
      v_id := v_parts[3]::uuid;
    elsif p_cursor is not null then
      raise exception using errcode = '22P02';
    end if;
  exception when others then
    raise exception 'Invalid directory cursor.' using errcode = '22023', hint = 'Pass next_cursor from a previous page, or nothing.';
  end;
  -- Live first, busiest first; then upcoming, soonest first. Each part is an index range scan.
  return query
  with live as (
    select s.*, 0 as part,
      row_number() over (order by s.listener_count desc, s.started_at desc, s.id desc) as pos
    from public.dj_sessions as s
    where v_phase = 'L' and s.status = 'live' and (p_genre is null or p_genre = any (s.genre_tags))
      and (p_cursor is null or (s.listener_count, s.started_at, s.id) < (v_count, v_started, v_id))
    order by s.listener_count desc, s.started_at desc, s.id desc
    limit v_limit
  ), upcoming as (
    select s.*, 1 as part, row_number() over (order by s.scheduled_for, s.id) as pos
    from public.dj_sessions as s
    where s.status = 'scheduled' and s.scheduled_for > now() - interval '1 hour'
      and (p_genre is null or p_genre = any (s.genre_tags))
      and (v_phase = 'L' or (s.scheduled_for, s.id) > (v_planned, v_id))
    order by s.scheduled_for, s.id
    limit v_limit
  ), page as (
    select * from live
    union all
    select * from upcoming
    order by part, pos
    limit v_limit
  )
  select page.id, page.dj_id, p.handle, p.display_name, p.avatar_url, page.title, page.genre_tags,
    page.cover_url, page.visibility, page.status, page.scheduled_for, page.started_at, page.listener_count,
    case when page.part = 0
      then concat_ws('|', 'L', page.listener_count, page.started_at, page.id)
      else concat_ws('|', 'S', page.scheduled_for, page.id)
    end
  from page
  join public.profiles as p on p.id = page.dj_id
  order by page.part, page.pos;
end
$$;

-- COMMENT: FUNCTION session_directory(p_limit integer, p_cursor text, p_genre text)
COMMENT ON FUNCTION public.session_directory(p_limit integer, p_cursor text, p_genre text) IS 'Live sessions (most listeners first), then upcoming ones (soonest first), that the caller may see; keyset-paginated: pass the last row''s next_cursor as p_cursor. Optional genre filter. Works with the anon key.
Errors: 22023 invalid cursor.
Example: const { data } = await supabase.rpc(''session_directory'', { p_limit: 20, p_cursor: last?.next_cursor })';

-- ACL: FUNCTION session_directory(p_limit integer, p_cursor text, p_genre text)
REVOKE ALL ON FUNCTION public.session_directory(p_limit integer, p_cursor text, p_genre text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.session_directory(p_limit integer, p_cursor text, p_genre text) TO anon;
GRANT ALL ON FUNCTION public.session_directory(p_limit integer, p_cursor text, p_genre text) TO authenticated;
