/*
 * foundation-text-policy: one policy for every free-text column the app writes (issue 17 §3).
 *
 * A hostile-input test stored right-to-left overrides, zero-width and control characters in 11
 * free-text arguments (chat bodies, session titles, ban reasons, report details, ...), and a
 * display name equal to a DJ's plus U+200B. The policy is enforced in the database, by one
 * shared BEFORE INSERT OR UPDATE trigger, so RPCs and direct PostgREST table writes obey it
 * alike. private.tg__text_policy('<column>:<kind>', ...) is attached to each table with the
 * columns it covers; for each new or changed value it
 *   1. refuses (BADCH, details: table, column, code_point) any character of the kind's set,
 *      hidden.text_policy_pattern(kind);
 *   2. stores the value in NFC (normalize(v, nfc)): NFD input from some keyboards is not an
 *      error, but blocked terms, lengths and name comparisons must see one form.
 * The per-value cost is one regex test and one `is nfc normalized` (cached compiled regex);
 * nothing else happens for clean text, which is nearly all of it (send_message's hot path).
 *
 * Kinds, and what each refuses (docs/text-policy.md has the reasons):
 *   text  multi-line free text (chat, descriptions, bios, reasons, notes): C0 controls except
 *         tab and newline; DEL and C1 controls; bidi embeddings, overrides and isolates
 *         (U+202A-202E, U+2066-2069); line/paragraph separators U+2028/2029; invisible
 *         characters that carry no meaning in any script: U+00AD soft hyphen, U+115F/1160/3164/
 *         FFA0 Hangul fillers, U+17B4/17B5, U+180E, U+200B, U+2060-2065 (word joiner, invisible
 *         operators), U+206A-206F, U+FEFF, U+FFF0-FFFB, U+1BCA0-1BCA3, U+1D173-1D17A, and the
 *         plane-14 Default_Ignorable code points that are neither tags nor variation selectors
 *         (U+E0000-E001F, E0080-E00FF, E01F0-E0FFF). Kept: U+200D ZWJ and U+FE00-FE0F/U+E0100-
 *         E01EF variation selectors (emoji sequences, CJK variants), U+200C ZWNJ (Persian,
 *         Indic), tags U+E0020-E007F (subdivision flags), the bidi marks U+200E/200F/061C
 *         (Hebrew and Arabic users type them).
 *   line  single-line text (playlist names, blocked terms, track fields): text, plus tab and
 *         newline.
 *   name  what identifies someone or something (display names, session titles): line, plus
 *         U+034F and the bidi marks U+061C/200E/200F. Emoji (ZWJ, VS16, flags) stay allowed; a
 *         name that differs from another account's only by such characters is refused by the
 *         confusable-name check (people-confusable-names), not here.
 * Refusing, not stripping: the stored text is exactly what the sender's composer showed
 * (clients echo messages by client id), the refusal names the code point so the app can strip
 * it before sending, and a stripped name could silently become equal to someone else's.
 *
 * The policy runs first among the BEFORE triggers of each table (triggers fire in name order:
 * _010_ sorts before every _050_/_100_/_200_ trigger), so e.g. the chat check trigger matches
 * blocked terms against NFC text. Existing rows are not rewritten; an update checks only the
 * columns it changes. tests/schema/test_text_policy_coverage.py fails for any text column of
 * public or private that is neither covered here nor exempt with a reason.
 */

-- helper functions -----------------------------------------------------------------------------

/*
 * The characters a kind refuses, as one bracket expression, shared by the trigger and the
 * sign-up name clean-up. In hidden (not private) because the trigger runs as the writer
 * (authenticated, service_role), which calls it.
 */
create function hidden.text_policy_pattern(p_kind text) returns text
language sql immutable strict parallel safe
set search_path = ''
as $$
  select '[' || case p_kind
      when 'text' then '\u0001-\u0008\u000B-\u001F'
      when 'line' then '\u0001-\u001F'
      when 'name' then '\u0001-\u001F\u034F\u061C\u200E\u200F'
    end
    || '\u007F-\u009F\u00AD\u115F\u1160\u17B4\u17B5\u180E\u200B\u2028-\u202E\u2060-\u206F\u3164\uFEFF'
    || '\uFFA0\uFFF0-\uFFFB\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0000-\U000E001F'
    || '\U000E0080-\U000E00FF\U000E01F0-\U000E0FFF]'
$$;
comment on function hidden.text_policy_pattern(text) is
  'The text policy''s refused characters for a kind (text, line or name) as a regex bracket expression; '
  'NULL for an unknown kind. See foundation-text-policy and docs/text-policy.md.';
grant execute on function hidden.text_policy_pattern(text) to authenticated, service_role;

-- triggers -------------------------------------------------------------------------------------

create function private.tg__text_policy() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_new jsonb := to_jsonb(NEW);
  v_old jsonb := case when TG_OP = 'UPDATE' then to_jsonb(OLD) end;
  v_nfc jsonb := '{}';
  v_spec text;
  v_column text;
  v_pattern text;
  v_value text;
  v_bad text;
begin
  foreach v_spec in array TG_ARGV loop
    v_column := split_part(v_spec, ':', 1);
    v_value := v_new ->> v_column;
    continue when v_value is null or v_value is not distinct from (v_old ->> v_column);
    v_pattern := hidden.text_policy_pattern(split_part(v_spec, ':', 2));
    if v_pattern is null then
      raise exception 'Text policy misconfigured on %: %.', TG_TABLE_NAME, v_spec
        using errcode = '22023', hint = 'Trigger arguments are <column>:<text|line|name>.';
    end if;
    if v_value ~ v_pattern then
      v_bad := substring(v_value from v_pattern);
      raise exception 'The text contains a character that is not allowed (%).', v_column
        using errcode = 'BADCH',
          detail = json_build_object('table', TG_TABLE_NAME, 'column', v_column,
            'code_point', 'U+' || upper(lpad(to_hex(ascii(v_bad)), 4, '0')))::text,
          hint = 'Remove control, bidirectional-override and invisible characters (details.code_point), then retry.';
    end if;
    if v_value is not nfc normalized then
      v_nfc := v_nfc || jsonb_build_object(v_column, normalize(v_value, nfc));
    end if;
  end loop;
  if v_nfc <> '{}' then
    NEW := jsonb_populate_record(NEW, v_nfc);
  end if;
  return NEW;
end
$$;
comment on function private.tg__text_policy() is
  'Shared BEFORE INSERT OR UPDATE trigger, arguments ''<column>:<kind>'' (kind text, line or name): refuses a new '
  'or changed value holding a character of hidden.text_policy_pattern(kind) with BADCH (details: table, column, '
  'code_point) and stores it in NFC. Name the trigger _010_text_policy so it fires before the table''s other '
  'BEFORE triggers.';

/*
 * Attached table by table, with `update of` the covered columns so other updates skip it.
 * public.tracks (title:line, artist:line) is attached by its owner's migration.
 */
create trigger _010_text_policy before insert or update of body, delete_reason on public.chat_messages
  for each row execute function private.tg__text_policy('body:text', 'delete_reason:text');
create trigger _010_text_policy before insert or update of reason on public.dj_bans
  for each row execute function private.tg__text_policy('reason:text');
create trigger _010_text_policy before insert or update of term on public.dj_blocked_terms
  for each row execute function private.tg__text_policy('term:line');
create trigger _010_text_policy before insert or update of title, description, announcement on public.dj_sessions
  for each row execute function private.tg__text_policy('title:name', 'description:text', 'announcement:text');
create trigger _010_text_policy before insert or update of reason on public.moderation_log
  for each row execute function private.tg__text_policy('reason:text');
create trigger _010_text_policy before insert or update of name on public.playlists
  for each row execute function private.tg__text_policy('name:line');
create trigger _010_text_policy before insert or update of display_name, bio on public.profiles
  for each row execute function private.tg__text_policy('display_name:name', 'bio:text');
create trigger _010_text_policy before insert or update of decision_reason on public.queue_items
  for each row execute function private.tg__text_policy('decision_reason:text');
create trigger _010_text_policy before insert or update of details, resolution_note on public.reports
  for each row execute function private.tg__text_policy('details:text', 'resolution_note:text');
create trigger _010_text_policy before insert or update of message on public.tips
  for each row execute function private.tg__text_policy('message:text');
create trigger _010_text_policy before insert or update of reason on private.platform_bans
  for each row execute function private.tg__text_policy('reason:text');
