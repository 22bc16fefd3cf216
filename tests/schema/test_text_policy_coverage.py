"""Every text column the app writes is covered by the text policy or exempt for a stated reason.

Read from the catalog, so a column added later fails here until someone decides (issue 17 §3,
docs/text-policy.md): attach ``private.tg__text_policy`` with the column, or add it to EXEMPT.
"""

from __future__ import annotations

import psycopg

KINDS = {"text", "line", "name"}

#: Text columns the policy deliberately does not cover, and why.
_CODE = "enum-like code or identifier, held by a check constraint"
_PROVIDER = "provider or server-generated identifier, never typed by a user"
_INTERNAL = "written only by the service, workers or operators (logs, outbox, configuration)"
EXEMPT: dict[str, str] = {
    "public.audio_assets.codec": "probed by the media worker",
    "public.audio_assets.failure_code": _CODE,
    "public.audio_assets.failure_message": _INTERNAL,
    "public.audio_assets.object_version": _PROVIDER,
    "public.audio_assets.original_sha256": _CODE,
    "public.audio_assets.path": "Storage object key (Storage metadata is out of scope; bucket policies check paths)",
    "public.audio_assets.stage": _CODE,
    "public.audio_assets.stream_path": "Storage object key written by the media worker",
    "public.chat_messages.held_term": "copy of dj_blocked_terms.term (covered), set by the chat check trigger",
    "public.dj_sessions.cover_url": "https URL held by a check constraint",
    "public.dj_sessions.genre_tags": "tags held to [a-z0-9-] by a check constraint",
    "public.entitlements.entitlement": _CODE,
    "public.entitlements.source": _CODE,
    "public.notifications.dedupe_key": _PROVIDER,
    "public.payout_accounts.disabled_reason": "Stripe's code",
    "public.payout_accounts.requirements_due": "Stripe's requirement codes",
    "public.payout_accounts.stripe_account_id": _PROVIDER,
    "public.profiles.avatar_url": "https URL held by a check constraint",
    "public.profiles.display_name_skeleton": "derived from display_name (covered) by _300_names",
    "public.profiles.handle_skeleton": "derived from handle by _300_names",
    "public.profiles.handle": "held to [a-z0-9_] by BADHN; look-alikes refused by _300_names (ALIKE)",
    "public.push_devices.deactivated_reason": _CODE,
    "public.push_devices.platform": _CODE,
    "public.push_devices.token": "Expo push token held by a check constraint",
    "public.push_preferences.time_zone": "IANA zone name checked against pg_timezone_names",
    "public.session_plays.outcome": _CODE,
    "public.session_plays.reason": "copy of queue_items.decision_reason (covered), written by the play log",
    "public.tip_currencies.currency": _CODE,
    "public.tips.charge_id": _PROVIDER,
    "public.tips.currency": _CODE,
    "public.tips.dispute_status": "Stripe's code",
    "public.tips.failure_code": "Stripe's code",
    "public.tips.payment_intent_id": _PROVIDER,
    "public.tracks.artwork_url": "https URL checked against the provider's image hosts",
    "public.tracks.provider_track_id": _PROVIDER,
    "private.account_deletions.handle": "copy of profiles.handle",
    "private.confusables.prototype": "Unicode data loaded by a migration",
    "private.confusables.source": "Unicode data loaded by a migration",
    "private.export_sections.query": _INTERNAL,
    "private.export_sections.section": _CODE,
    "private.job_failures.error": _INTERNAL,
    "private.job_failures.task_name": _INTERNAL,
    "private.ledger_entries.account": _CODE,
    "private.ledger_entries.currency": _CODE,
    "private.ledger_entries.event_id": _PROVIDER,
    "private.ledger_entries.movement": _INTERNAL,
    "private.media_backups.bucket_id": _INTERNAL,
    "private.media_backups.last_error": _INTERNAL,
    "private.media_backups.name": "Storage object key (out of scope)",
    "private.media_backups.object_version": _PROVIDER,
    "private.media_backups.sha256": _CODE,
    "private.media_backups.state": _CODE,
    "private.push_messages.body": "composed from covered columns (names, message excerpts)",
    "private.push_messages.collapse_key": _PROVIDER,
    "private.push_messages.error": _INTERNAL,
    "private.push_messages.receipt_status": "Expo's code",
    "private.push_messages.ticket_id": _PROVIDER,
    "private.push_messages.title": "composed from covered columns (names, session titles)",
    "private.rate_buckets.bucket": _INTERNAL,
    "private.realtime_buffer.event": _CODE,
    "private.realtime_buffer.topic": _CODE,
    "private.realtime_log.event": _CODE,
    "private.realtime_log.topic": _CODE,
    "private.realtime_topics.delivery": _CODE,
    "private.realtime_topics.topic": _CODE,
    "private.cdn_frames.topic": _CODE,
    "private.schedule.description": _INTERNAL,
    "private.schedule.name": _CODE,
    "private.schedule.runs_on": _CODE,
    "private.schedule.statement": _INTERNAL,
    "private.schedule.task": _CODE,
    "private.session_invites.code": "generated invite code held by a check constraint",
    "private.settings.description": _INTERNAL,
    "private.settings.key": _CODE,
    "private.setting_changes.change": _CODE,
    "private.setting_changes.changed_by": _INTERNAL,
    "private.setting_changes.key": _CODE,
    "private.setting_changes.reason": _INTERNAL,
    "private.setting_overrides.changed_by": _INTERNAL,
    "private.setting_overrides.key": _CODE,
    "private.setting_overrides.reason": _INTERNAL,
    "private.sms_sends.outcome": _CODE,
    "private.sms_sends.phone": "E.164 number validated by the send-SMS hook",
    "private.sms_sends.prefix": _CODE,
    "private.sms_sends.provider_message_id": _PROVIDER,
    "private.sms_sends.reason": _CODE,
    "private.sms_sends.webhook_id": _PROVIDER,
    "private.staff.role": _CODE,
    "private.track_checks.outcome": _CODE,
    "private.track_checks.provider_track_id": _PROVIDER,
    "private.webhook_events.account": _PROVIDER,
    "private.webhook_events.event_id": _PROVIDER,
    "private.webhook_events.event_type": _PROVIDER,
    "private.webhook_events.last_error": _INTERNAL,
    "private.webhook_events.provider": _CODE,
}

#: BEFORE triggers allowed to fire before the policy, and why.
RUNS_BEFORE_POLICY = {
    ("public.profiles", "_005_sign_up_names"): "strips at sign-up what the policy would refuse",
}

_TEXT_COLUMNS = """
select n.nspname || '.' || c.relname || '.' || a.attname
from pg_attribute as a
join pg_class as c on c.oid = a.attrelid
join pg_namespace as n on n.oid = c.relnamespace
join pg_type as t on t.oid = a.atttypid
left join pg_type as e on e.oid = t.typelem and t.typcategory = 'A'
where n.nspname in ('public', 'private') and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
  and a.attgenerated = ''
  and coalesce(e.typcategory, t.typcategory) = 'S'
  and not exists (select 1 from pg_depend as d where d.objid = c.oid and d.deptype = 'e')
"""

_POLICY_TRIGGERS = """
select c.oid::regclass::text, t.tgname, t.tgtype, t.tgnargs, t.tgargs,
  array(select a.attname::text from unnest(t.tgattr) as k (attnum)
        join pg_attribute as a on a.attrelid = c.oid and a.attnum = k.attnum order by 1)
from pg_trigger as t join pg_class as c on c.oid = t.tgrelid
where t.tgfoid = 'private.tg__text_policy'::regproc and not t.tgisinternal
"""

# pg_trigger.tgtype bits (include/catalog/pg_trigger.h).
_ROW, _BEFORE, _INSERT, _UPDATE = 1, 2, 4, 16
Trigger = tuple[str, str, int, list[str], list[str]]


def _policy_triggers(db: psycopg.Connection) -> list[Trigger]:
    """(relation, name, tgtype, arguments, `update of` columns) of each policy trigger."""
    rows = db.execute(_POLICY_TRIGGERS).fetchall()
    # tgargs: the arguments, each followed by a NUL byte.
    return [(r, n, t, bytes(a).decode().split("\0")[:k], cols) for r, n, t, k, a, cols in rows]


def _qualified(relation: str) -> str:
    return relation if "." in relation else f"public.{relation}"


def _covered(db: psycopg.Connection) -> dict[str, str]:
    covered: dict[str, str] = {}
    for relation, _name, _type, args, _columns in _policy_triggers(db):
        for arg in args:
            column, _, kind = arg.partition(":")
            covered[f"{_qualified(relation)}.{column}"] = kind
    return covered


def test_every_text_column_is_covered_by_the_policy_or_exempt(db: psycopg.Connection) -> None:
    db.execute("set local search_path = ''")
    columns = {row[0] for row in db.execute(_TEXT_COLUMNS).fetchall()}
    covered = _covered(db)
    undecided = columns - covered.keys() - EXEMPT.keys()
    assert undecided == set(), "cover these with _010_text_policy or add them to EXEMPT with a reason"
    assert EXEMPT.keys() & covered.keys() == set(), "covered columns must not be listed as exempt"
    assert EXEMPT.keys() - columns == set(), "exempt columns that no longer exist (remove them)"


def test_policy_triggers_are_well_formed_and_fire_first(db: psycopg.Connection) -> None:
    db.execute("set local search_path = ''")
    triggers = _policy_triggers(db)
    assert triggers, "the policy is attached somewhere"
    for relation, name, tgtype, args, update_columns in triggers:
        assert name == "_010_text_policy", (relation, name)
        assert tgtype & (_ROW | _BEFORE | _INSERT | _UPDATE) == _ROW | _BEFORE | _INSERT | _UPDATE, relation
        columns = [arg.partition(":")[0] for arg in args]
        assert all(arg.partition(":")[2] in KINDS for arg in args), (relation, args)
        assert sorted(columns) == sorted(update_columns), (
            f"{relation}: `update of` must list the covered columns"
        )
        types = dict(
            db.execute(
                "select attname::text, format_type(atttypid, null) from pg_attribute"
                " where attrelid = %s::regclass and attnum > 0 and not attisdropped",
                (relation,),
            ).fetchall()
        )
        assert all(types.get(c) in {"text", "character varying"} for c in columns), (relation, columns)
        earlier = db.execute(
            "select tgname from pg_trigger where tgrelid = %s::regclass and not tgisinternal"
            " and tgtype & %s = %s and tgtype & %s <> 0 and tgname < %s",
            (relation, _ROW | _BEFORE, _ROW | _BEFORE, _INSERT | _UPDATE, name),
        ).fetchall()
        unexpected = {n for (n,) in earlier} - {
            n for (r, n) in RUNS_BEFORE_POLICY if r == _qualified(relation)
        }
        assert unexpected == set(), f"{relation}: these BEFORE triggers fire before the text policy"
