/*
 * people-confusable-names: no display name or handle that looks like another account's but is
 * not the same text (issue 17 §3: "DJ Lia" plus U+200B, or with a Cyrillic а, passed as the DJ).
 *
 * Two names are confusable when their UTS #39 skeletons are equal
 * (https://www.unicode.org/reports/tr39/#Confusable_Detection): skeleton(X) = NFD of X in NFD,
 * its Default_Ignorable_Code_Point characters removed (the step Unicode 15.1 added; the
 * confusables data is 13.0.0, people-confusables), each character replaced by its prototype.
 * profiles keeps display_name_skeleton and handle_skeleton (trigger-maintained, indexed), and
 * _300_names refuses with ALIKE:
 *   - a display name whose skeleton equals another account's display name or handle skeleton
 *     while the text differs;
 *   - a handle whose skeleton equals another account's handle skeleton while the text differs
 *     (dj_1ia next to dj_lia, or dj_rnia next to dj_mia; the same handle is TAKEN).
 * Identical display names stay allowed: two members called Maria is normal, the unique @handle
 * is the identity the app shows beside the name, and the verified badge marks the real DJ. The
 * only reason to pick a look-alike instead of the same text is to pass as someone while
 * escaping an equality check (a moderator's search, a block list), which is what is refused.
 * Skeletons are case-sensitive, as UTS #39 defines them (DJ LIA and DJ Lia are not confusable).
 *
 * Sign-up never fails because of a name: a profile is created inside Supabase Auth's sign-up
 * transaction from the provider's metadata, which nobody controls. There, _005_sign_up_names
 * strips what the text policy would refuse (and falls back to the handle when nothing is
 * left), and _300_names replaces a confusable handle with a generated user_ one and a
 * confusable display name with the handle; the user can pick another name later. An account
 * whose deletion is recorded is exempt (delete_my_account's scrub names it "Deleted user").
 * The check reads committed rows: two concurrent look-alike renames can both pass, as the
 * handle's TAKEN check can (its unique constraint is the backstop; skeletons have none, since
 * existing rows may already collide).
 */

-- helper functions -----------------------------------------------------------------------------

create function private.skeleton(p_text text) returns text
language sql stable strict
set search_path = ''
as $$
  -- The removed class is Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 15.1).
  -- One index probe per character: a join would hash all 6311 rows per call (2 ms, not 0.1 ms).
  select normalize(coalesce(string_agg(
      coalesce((select c.prototype from private.confusables as c where c.source = t.ch), t.ch), '' order by t.n
    ), ''), nfd)
  from string_to_table(regexp_replace(normalize(p_text, nfd),
    '[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164'
    || '\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0000-\U000E0FFF]',
    '', 'g'), null) with ordinality as t (ch, n)
$$;
comment on function private.skeleton(text) is
  'UTS #39 skeleton: equal skeletons mean the texts look alike (NFD, default-ignorables removed, confusables '
  'mapped to their prototypes, NFD again).';

-- tables ---------------------------------------------------------------------------------------

alter table public.profiles
add column display_name_skeleton text,
add column handle_skeleton text;
comment on column public.profiles.display_name_skeleton is
  'UTS #39 skeleton of display_name (maintained by a trigger): equal skeletons look alike.';
comment on column public.profiles.handle_skeleton is
  'UTS #39 skeleton of handle (maintained by a trigger): no two accounts share one.';

-- Existing rows, without firing the profile triggers (updated_at is not a change of the profile).
alter table public.profiles disable trigger user;
update public.profiles as p
set display_name_skeleton = private.skeleton(p.display_name), handle_skeleton = private.skeleton(p.handle);
alter table public.profiles enable trigger user;

alter table public.profiles
alter column display_name_skeleton set not null,
alter column handle_skeleton set not null;
create index profiles_display_name_skeleton_idx on public.profiles (display_name_skeleton);
create index profiles_handle_skeleton_idx on public.profiles (handle_skeleton);
-- NOTE: no grants: clients read them with the rest of the profile; only the trigger writes them.

-- triggers -------------------------------------------------------------------------------------

create function private.tg_profiles__sign_up_names() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  NEW.display_name := btrim(regexp_replace(normalize(NEW.display_name, nfc), hidden.text_policy_pattern('name'), '', 'g'));
  if NEW.display_name = '' then
    NEW.display_name := NEW.handle;
  end if;
  return NEW;
end
$$;
comment on function private.tg_profiles__sign_up_names() is
  'Before a profile is created (sign-up): strip from the provider''s display name what the text policy would '
  'refuse, falling back to the handle, so a sign-up never fails because of it.';
create trigger _005_sign_up_names before insert on public.profiles
  for each row execute function private.tg_profiles__sign_up_names();

/*
 * enable_seqscan off: the look-alike probes must use the skeleton indexes even when the
 * planner's statistics think profiles is tiny (a bulk sign-up after a fresh migration would
 * otherwise cache a seq-scan plan and turn N sign-ups into N^2 row checks).
 */
create function private.tg_profiles__names() returns trigger
language plpgsql security definer
set search_path = ''
set enable_seqscan = off
as $$
declare
  v_sign_up boolean := TG_OP = 'INSERT';
  v_was text;
begin
  if v_sign_up or NEW.handle is distinct from OLD.handle then
    NEW.handle_skeleton := private.skeleton(NEW.handle);
    -- The same handle is not a look-alike: the unique constraint (TAKEN, or a sign-up's retry) handles it.
    if exists (
      select 1 from public.profiles as p
      where p.handle_skeleton = NEW.handle_skeleton and p.id <> NEW.id and p.handle <> NEW.handle
    )
      and not exists (select 1 from private.account_deletions as d where d.user_id = NEW.id) then
      if not v_sign_up then
        raise exception 'That handle looks like another account''s.'
          using errcode = 'ALIKE', detail = json_build_object('column', 'handle')::text,
            hint = 'Pick a handle that does not imitate someone else''s.';
      end if;
      v_was := NEW.handle;
      NEW.handle := 'user_' || lpad((floor(random() * 1000000))::integer::text, 6, '0');
      NEW.handle_skeleton := private.skeleton(NEW.handle);
      if NEW.display_name = v_was then
        NEW.display_name := NEW.handle;
      end if;
    end if;
  end if;
  if v_sign_up or NEW.display_name is distinct from OLD.display_name or v_was is not null then
    NEW.display_name_skeleton := private.skeleton(NEW.display_name);
    if exists (
      select 1 from public.profiles as p
      where p.id <> NEW.id and (
        (p.display_name_skeleton = NEW.display_name_skeleton and p.display_name <> NEW.display_name)
        or (p.handle_skeleton = NEW.display_name_skeleton and p.handle <> NEW.display_name)
      )
    ) and not exists (select 1 from private.account_deletions as d where d.user_id = NEW.id) then
      if not v_sign_up then
        raise exception 'That name looks like another account''s.'
          using errcode = 'ALIKE', detail = json_build_object('column', 'display_name')::text,
            hint = 'Pick a name without look-alike letters or invisible characters that imitate someone else''s.';
      end if;
      NEW.display_name := NEW.handle;
      NEW.display_name_skeleton := NEW.handle_skeleton;
    end if;
  end if;
  return NEW;
end
$$;
comment on function private.tg_profiles__names() is
  'Before a profile''s handle or display name is stored: maintain their skeletons and refuse (ALIKE) one that looks '
  'like another account''s display name or handle without being the same text; at sign-up, fall back instead.';
create trigger _300_names before insert or update of handle, display_name on public.profiles
  for each row execute function private.tg_profiles__names();
