/*
 * foundation-setting-overrides: a migration declares a setting's default, an operator overrides
 * it, and neither ever writes over the other (issue 21 §2; docs/decisions.md, 2026-12-03).
 *
 * private.settings was "changed by operators without a migration", yet four later migrations
 * (push-rate-tuning, realtime-fit-the-month, realtime-delivery-lanes,
 * realtime-ticks-show-the-snapshots-top) `update`d the values of existing keys: a deploy put its
 * number over whatever an operator had tuned, silently. From here on:
 *   - private.settings.default_value is what the migrations declare. A new key is inserted as
 *     before (key, value, description: its value is its default); a migration changes a default
 *     or a description only through private.change_setting_default(), and never updates
 *     private.settings itself (tests/db/test_settings.py fails on any later migration that does).
 *   - private.setting_overrides holds the operators' values, with who, when and why; only
 *     private.set_setting() and private.reset_setting() write it (`whatssound settings`).
 *   - private.setting_changes is the append-only history of both.
 *   - private.settings.value stays the value in force (the override, else the default), written
 *     by those three functions in the same transaction as the change. Every reader is unchanged
 *     (hidden.setting and the hot paths that read the table directly: chat, votes and queue
 *     ranking, push pacing, guest rules), so a read still costs one primary-key probe (measured:
 *     hidden.setting 6.0 us a call after, 6.2 before); a view joining the overrides took 10.8 us
 *     (docs/decisions.md).
 *
 * Adopting what a database holds now: each existing key's default is the one the migrations so
 * far declared (listed below, as a freshly migrated database has them); a value that differs
 * from it was set by an operator and becomes that key's override, so a later default change
 * cannot undo it. A key missing from the list (none today) keeps its value as its default.
 *
 * NOTE: no grants anywhere in this file: these are operator tooling and migration helpers (the
 * operator connects as postgres, the functions' owner), never callable by anon, authenticated or
 * service_role, which have no usage on private (the foundation's default privileges revoke
 * execute from public).
 */

-- tables (RLS + policies + grants right after each)

/* The declared default beside the value in force; adoption as described above. */

alter table private.settings add column default_value jsonb;

update private.settings as s
set default_value = d.value
from jsonb_each($json${
    "anonymous_may_chat": false,
    "anonymous_may_edit_profile": false,
    "anonymous_may_follow": false,
    "anonymous_may_register_push": false,
    "anonymous_may_report": true,
    "anonymous_may_request": false,
    "anonymous_may_tip": false,
    "anonymous_may_upload_images": false,
    "anonymous_report_rate_capacity": 1,
    "anonymous_report_rate_per_second": 0.000278,
    "artwork_hosts": {
      "apple_music": [".mzstatic.com"], "soundcloud": [".sndcdn.com"], "upload": [],
      "spotify": ["i.scdn.co", "mosaic.scdn.co", "image-cdn-ak.spotifycdn.com", "image-cdn-fa.spotifycdn.com"]
    },
    "catalogue_recheck_days": 30,
    "chat_rate_messages": 5,
    "chat_rate_window_seconds": 10,
    "cron_history_batch": 50000,
    "cron_history_days": 1,
    "handle_change_cooldown_seconds": 2592000,
    "max_mentions": 10,
    "presence_timeout_seconds": 90,
    "push_burst": 30,
    "push_drop_stale_kinds": ["dj_live", "request_playing"],
    "push_rate_per_second": 570,
    "reaction_emoji": ["🔥", "❤️", "🙌", "😂", "👏", "💯", "🎉", "🤯"],
    "reaction_rate_capacity": 5,
    "reaction_rate_per_second": 1,
    "realtime_burst": 10,
    "realtime_chat_per_tick": 30,
    "realtime_cycle_start_day": 1,
    "realtime_listener_budget_per_minute": 60,
    "realtime_log_retention_hours": 24,
    "realtime_min_listener_budget_per_minute": 2,
    "realtime_monthly_messages": 27000000,
    "realtime_poll_budget_per_second": 6000,
    "realtime_poll_catchup_max": 120,
    "realtime_poll_max_events": 50,
    "realtime_poll_ms": 900,
    "realtime_presence_max_listeners": 100,
    "realtime_project_messages_per_second": 2500,
    "realtime_pull_min_listeners": 25,
    "realtime_push_max_listeners": 20,
    "realtime_safety_factor": 0.8,
    "realtime_staff_per_minute": 600,
    "realtime_tick_max_bytes": 200000,
    "realtime_tick_max_events": 2000,
    "realtime_tick_top_items": 50,
    "report_rate_capacity": 5,
    "report_rate_per_second": 0.0033,
    "retention_batch_rows": 5000,
    "retention_chat_days": 90,
    "retention_failed_job_days": 30,
    "retention_finished_job_days": 7,
    "retention_job_failure_days": 30,
    "retention_max_rows_per_run": 100000,
    "retention_push_days": 30,
    "retention_read_notification_days": 90,
    "retention_realtime_topic_days": 7,
    "retention_unread_notification_days": 180,
    "retention_webhook_days": 90,
    "revenuecat_accept_sandbox": false,
    "session_abandoned_minutes": 30,
    "subscriber_entitlement": "premium",
    "subscriber_request_limit": 6,
    "tip_boost_cap": 5,
    "tip_fee_bps": 1000,
    "tip_rate_capacity": 5,
    "tip_rate_per_second": 0.0167,
    "tip_unpaid_expiry_hours": 24
  }$json$::jsonb) as d
where s.key = d.key;
update private.settings as s
set default_value = s.value
where s.default_value is null;

alter table private.settings alter column default_value set not null;
comment on table private.settings is
  'Operational knobs (key -> JSON value), read via hidden.setting() or directly by hot paths: value is the one in force. Migrations declare defaults (insert a new key; private.change_setting_default for an existing one), operators override them (private.set_setting / reset_setting, whatssound settings).';
comment on column private.settings.value is
  'The value in force, which every reader reads: the operator''s override (private.setting_overrides) if any, else default_value. Written only by private.set_setting, reset_setting and change_setting_default, never by a migration.';
comment on column private.settings.default_value is
  'The default the migrations declare (JSON number, boolean, string, array or object): the inserted value of a new key, then private.change_setting_default. An override must have its JSON type.';

create table private.setting_overrides (
  key text primary key references private.settings (key) on delete cascade,
  value jsonb not null,
  changed_by text not null check (char_length(changed_by) between 1 and 100),
  changed_at timestamptz not null default now(),
  reason text not null check (char_length(reason) between 1 and 500)
);
alter table private.setting_overrides enable row level security;
-- NOTE: no policies and no grants: written only by private.set_setting and reset_setting.
comment on table private.setting_overrides is
  'Operators'' values for settings, kept apart from the defaults so no migration ever touches them (whatssound settings set/reset).';
comment on column private.setting_overrides.key is 'The setting overridden (private.settings.key).';
comment on column private.setting_overrides.value is 'The value in force instead of the default; same JSON type as the default.';
comment on column private.setting_overrides.changed_by is 'Who set it (the operator''s name, from whatssound settings set --by).';
comment on column private.setting_overrides.changed_at is 'When it was last set.';
comment on column private.setting_overrides.reason is 'Why, in the operator''s words.';

create table private.setting_changes (
  id bigint generated always as identity primary key,
  key text not null check (key ~ '^[a-z][a-z0-9_]*$'),
  change text not null check (change in ('set', 'reset', 'default')),
  previous_value jsonb,
  new_value jsonb not null,
  changed_by text not null check (char_length(changed_by) between 1 and 100),
  changed_at timestamptz not null default now(),
  reason text not null check (char_length(reason) between 1 and 500)
);
alter table private.setting_changes enable row level security;
-- NOTE: no policies and no grants; no foreign key either: the history outlives a dropped key.
comment on table private.setting_changes is
  'Append-only history of every settings change: operators'' overrides set and reset, and defaults a migration changed.';
comment on column private.setting_changes.id is 'Order of the changes.';
comment on column private.setting_changes.key is 'The setting changed.';
comment on column private.setting_changes.change is
  'set: an operator set an override; reset: an operator dropped it (the default is in force again); default: a migration changed the default.';
comment on column private.setting_changes.previous_value is
  'set: the override it replaced (null: none); reset: the value in force before; default: the previous default.';
comment on column private.setting_changes.new_value is 'set: the override; reset: the default now in force; default: the new default.';
comment on column private.setting_changes.changed_by is 'The operator (set, reset), or the database role that ran the migration (default).';
comment on column private.setting_changes.changed_at is 'When.';
comment on column private.setting_changes.reason is 'Why: the operator''s reason, or the migration''s.';

-- triggers

/* A new key's inserted value is its default; no override can exist for it yet. */

create function private.tg_settings__default_value() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  NEW.default_value := coalesce(NEW.default_value, NEW.value);
  NEW.value := NEW.default_value;
  return NEW;
end
$$;
comment on function private.tg_settings__default_value() is
  'Before insert on private.settings: a new key''s value is its default (default_value, else the inserted value).';
create trigger _100_default_value before insert on private.settings
for each row execute function private.tg_settings__default_value();

/* The history is what operators trust to say who changed what: it is never edited. */

create function private.tg_setting_changes__append_only() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'The settings history is append-only.'
    using errcode = '42501', hint = 'Record a new change instead (whatssound settings set/reset).';
end
$$;
comment on function private.tg_setting_changes__append_only() is
  'Refuses updating, deleting or truncating private.setting_changes (42501).';
create trigger _100_append_only before update or delete on private.setting_changes
for each row execute function private.tg_setting_changes__append_only();
create trigger _110_append_only before truncate on private.setting_changes
for each statement execute function private.tg_setting_changes__append_only();

insert into private.setting_overrides (key, value, changed_by, reason)
select
  s.key,
  s.value,
  'foundation-setting-overrides' as changed_by,
  'Adopted: the value differed from the declared default.' as reason
from private.settings as s
where s.value is distinct from s.default_value;
insert into private.setting_changes (key, change, previous_value, new_value, changed_by, reason)
select
  o.key,
  'set' as change,
  null as previous_value,
  o.value,
  o.changed_by,
  o.reason
from private.setting_overrides as o;

-- helper functions

/*
 * What operators read: one row per setting with its default, override and value in force. A
 * value in force that is neither (written directly, outside these functions) shows as it is.
 */

create view private.setting_values with (security_invoker = true) as
select
  s.key,
  s.default_value,
  o.value as override_value,
  s.value as effective_value,
  o.changed_by,
  o.changed_at,
  o.reason,
  s.description
from private.settings as s
left join private.setting_overrides as o on s.key = o.key;
comment on view private.setting_values is
  'Every setting: default, override, value in force, and who set the override, when and why (whatssound settings list).';
comment on column private.setting_values.key is 'Setting name.';
comment on column private.setting_values.default_value is 'The default the migrations declare.';
comment on column private.setting_values.override_value is 'The operator''s override (null: none).';
comment on column private.setting_values.effective_value is 'The value every reader gets.';
comment on column private.setting_values.changed_by is 'Who set the override.';
comment on column private.setting_values.changed_at is 'When the override was set.';
comment on column private.setting_values.reason is 'Why the override was set.';
comment on column private.setting_values.description is 'What the setting controls.';

create function private.setting_row(p_key text) returns private.setting_values
language plpgsql stable
set search_path = ''
as $$
declare
  v_row private.setting_values;
begin
  select v.* into v_row from private.setting_values as v where v.key = p_key;
  if not found then
    raise exception 'There is no setting %.', coalesce(quote_literal(p_key), 'null')
      using errcode = '22023', hint = 'whatssound settings list shows every setting.';
  end if;
  return v_row;
end
$$;
comment on function private.setting_row(text) is
  'One setting''s row of private.setting_values; an unknown key is refused (22023).';

create function private.change_setting_default(p_key text, p_default jsonb, p_description text default null)
returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row private.setting_values := private.setting_row(p_key);
begin
  if jsonb_typeof(p_default) is distinct from jsonb_typeof(v_row.default_value) then
    raise exception 'The default of % is a JSON %, not %.', p_key, jsonb_typeof(v_row.default_value),
      coalesce(jsonb_typeof(p_default), 'null')
      using errcode = '22023', hint = 'A setting of another type is a new key.';
  end if;
  update private.settings as s
  set default_value = p_default, value = coalesce(v_row.override_value, p_default),
    description = coalesce(p_description, s.description)
  where s.key = p_key;
  if p_default is distinct from v_row.default_value then
    insert into private.setting_changes (key, change, previous_value, new_value, changed_by, reason)
    values (p_key, 'default', v_row.default_value, p_default, session_user, 'A migration changed the default.');
  end if;
end
$$;
comment on function private.change_setting_default(text, jsonb, text) is
  'For migrations: the one way to change an existing setting''s default (and optionally its description). An operator''s override stays in force; the change is recorded in private.setting_changes. Unknown key or another JSON type: 22023.';

-- RPCs (operator functions, `whatssound settings`)

create function private.settings_list(p_key text default null) returns setof private.setting_values
language sql stable
set search_path = ''
as $$
  select v.* from private.setting_values as v where p_key is null or v.key = p_key order by v.key
$$;
comment on function private.settings_list(text) is
  'Every setting (or the one named): key, default, override, value in force, who set the override, when and why (whatssound settings list).';

create function private.settings_diff() returns setof private.setting_values
language sql stable
set search_path = ''
as $$
  select v.* from private.setting_values as v
  where v.override_value is not null or v.effective_value is distinct from v.default_value
  order by v.key
$$;
comment on function private.settings_diff() is
  'The settings not at their default: every override (also one equal to the default, which pins it against a default change), and any value written outside set_setting (no override; reset it) (whatssound settings diff).';

create function private.set_setting(
  p_key text, p_value jsonb, p_reason text, p_changed_by text default null, p_dry_run boolean default false
) returns private.setting_values
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row private.setting_values := private.setting_row(p_key);
  v_previous jsonb := v_row.override_value;
begin
  if jsonb_typeof(p_value) is distinct from jsonb_typeof(v_row.default_value) then
    raise exception '% takes a JSON %, not %.', p_key, jsonb_typeof(v_row.default_value),
      coalesce(jsonb_typeof(p_value), 'null')
      using errcode = '22023', hint = format('Its default is %s.', v_row.default_value);
  end if;
  v_row.override_value := p_value;
  v_row.effective_value := p_value;
  v_row.changed_by := left(coalesce(nullif(btrim(p_changed_by), ''), session_user), 100);
  v_row.changed_at := now();
  v_row.reason := left(btrim(p_reason), 500);
  if coalesce(v_row.reason, '') = '' then
    raise exception 'A reason is required.' using errcode = '22023', hint = 'Say why: it is kept in the history.';
  end if;
  if coalesce(p_dry_run, false) then
    return v_row;
  end if;
  insert into private.setting_overrides as o (key, value, changed_by, changed_at, reason)
  values (p_key, p_value, v_row.changed_by, v_row.changed_at, v_row.reason)
  on conflict (key) do update
    set value = excluded.value, changed_by = excluded.changed_by, changed_at = excluded.changed_at,
      reason = excluded.reason;
  update private.settings as s set value = p_value where s.key = p_key;
  insert into private.setting_changes (key, change, previous_value, new_value, changed_by, changed_at, reason)
  values (p_key, 'set', v_previous, p_value, v_row.changed_by, v_row.changed_at, v_row.reason);
  return v_row;
end
$$;
comment on function private.set_setting(text, jsonb, text, text, boolean) is
  'Override a setting (whatssound settings set): in force at once for every reader, kept over later default changes, recorded with who (p_changed_by, else the database user), when and why. Refused with 22023: an unknown key, a value of another JSON type than the default, no reason. p_dry_run: return the row it would leave, change nothing.';

create function private.reset_setting(
  p_key text, p_reason text, p_changed_by text default null, p_dry_run boolean default false
) returns private.setting_values
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row private.setting_values := private.setting_row(p_key);
  v_by text := left(coalesce(nullif(btrim(p_changed_by), ''), session_user), 100);
  v_reason text := left(btrim(p_reason), 500);
  v_before jsonb := v_row.effective_value;
  v_changes boolean := v_row.override_value is not null or v_row.effective_value is distinct from v_row.default_value;
begin
  if coalesce(v_reason, '') = '' then
    raise exception 'A reason is required.' using errcode = '22023', hint = 'Say why: it is kept in the history.';
  end if;
  v_row.override_value := null;
  v_row.effective_value := v_row.default_value;
  v_row.changed_by := null;
  v_row.changed_at := null;
  v_row.reason := null;
  if coalesce(p_dry_run, false) or not v_changes then
    return v_row;
  end if;
  delete from private.setting_overrides as o where o.key = p_key;
  update private.settings as s set value = s.default_value where s.key = p_key;
  insert into private.setting_changes (key, change, previous_value, new_value, changed_by, reason)
  values (p_key, 'reset', v_before, v_row.default_value, v_by, v_reason);
  return v_row;
end
$$;
comment on function private.reset_setting(text, text, text, boolean) is
  'Drop a setting''s override (whatssound settings reset): its default is in force again, recorded with who, when and why (nothing recorded when it already was). Refused with 22023: an unknown key, no reason. p_dry_run: return the row it would leave, change nothing.';
