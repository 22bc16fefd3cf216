"""What a verified webhook body must be before it is stored, for Stripe and RevenueCat alike.

A valid signature proves who sent the bytes, not that they fit: a 300-character id, a
``created`` of ``1e20`` or a ``\\u0000`` used to reach PostgreSQL or ``datetime`` and answer 500
(a check violation 23514, 22P05, an OverflowError), which the provider then retries for days.
Each endpoint parses its body here, once, after the signature or Authorization check, and a
body that does not fit raises :class:`~whatssound_svc.errors.MalformedWebhook` (400 ``WHBAD``,
nothing stored). The rules mirror ``private.webhook_events`` and PostgreSQL's ``jsonb``, so the
database never sees a value it would refuse:

- UTF-8 (RFC 8259 §8.1) JSON whose top level is an object, nested at most ``MAX_DEPTH`` deep;
- no NUL (``\\u0000``) and no unpaired surrogate in any string or key (``jsonb`` and ``text``
  refuse both), no ``NaN`` or ``Infinity`` (``1e400`` reads as infinity; neither is JSON);
- the event id and type: strings of 1 to 255 characters (the columns' checks); Stripe's id
  starts ``evt_`` and its Connect ``account`` ``acct_``;
- the event time: an integer count of seconds (Stripe ``created``) or milliseconds (RevenueCat
  ``event_timestamp_ms``) from ``EARLIEST`` to ``FUTURE_SKEW`` ahead of our clock;
- Stripe: ``object`` is ``"event"`` (not a v2 thin event) and ``livemode`` is true or false.

Fields the processors read later are not checked here: a value they cannot use is recorded as
the event's ``last_error`` (``whatssound webhooks pending``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any

from whatssound_svc.errors import MalformedWebhook

#: ``char_length(event_id)`` and ``char_length(event_type)`` are between 1 and this.
MAX_TEXT = 255
#: Deeper JSON is refused (a Stripe event nests about 8 levels, a RevenueCat event 4).
MAX_DEPTH = 64
#: Events dated earlier are not real (Stripe opened in 2011, RevenueCat in 2017).
EARLIEST = dt.datetime(2010, 1, 1, tzinfo=dt.UTC)
#: How far ahead of our clock an event may be dated (clock skew); a later date would outrank
#: every real event in the processors' newest-wins guards.
FUTURE_SKEW = dt.timedelta(days=1)


@dataclass(frozen=True)
class Event:
    """What ``private.record_webhook_event`` stores of a delivery."""

    event_id: str
    event_type: str
    livemode: bool
    account: str | None
    created: dt.datetime
    payload: dict[str, Any]


def decode(body: bytes) -> str:
    """The body as text (Stripe signs the text, so this comes before the signature check)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedWebhook("The body is not UTF-8.") from None


def stripe_event(text: str) -> Event:
    """A Stripe snapshot event: ``evt_`` id, type, ``created`` in seconds, livemode, account."""
    data = _object(text)
    if data.get("object") != "event":
        raise MalformedWebhook('The body is not a Stripe event (its object is not "event").')
    livemode = data.get("livemode")
    if not isinstance(livemode, bool):
        raise MalformedWebhook("livemode must be true or false.")
    account = None if data.get("account") is None else _text(data, "account", prefix="acct_")
    return Event(
        event_id=_text(data, "id", prefix="evt_"),
        event_type=_text(data, "type"),
        livemode=livemode,
        account=account,
        created=_moment(data, "created", per_second=1),
        payload=data,
    )


def revenuecat_event(text: str) -> Event:
    """The ``event`` of a RevenueCat delivery (what is stored); PRODUCTION is live."""
    event = _object(text).get("event")
    if not isinstance(event, dict):
        raise MalformedWebhook("The body is not a RevenueCat event (it has no event object).")
    return Event(
        event_id=_text(event, "id", where="event."),
        event_type=_text(event, "type", where="event."),
        livemode=event.get("environment") == "PRODUCTION",
        account=None,
        created=_moment(event, "event_timestamp_ms", where="event.", per_second=1000),
        payload=event,
    )


def _object(text: str) -> dict[str, Any]:
    """The JSON object in ``text``, with nothing in it that ``jsonb`` would refuse."""
    try:
        value = json.loads(text)
    except RecursionError:  # the parser gives up long before a body-sized nesting
        raise MalformedWebhook(f"The JSON nests deeper than {MAX_DEPTH} levels.") from None
    except ValueError:
        raise MalformedWebhook("The body is not JSON.") from None
    if not isinstance(value, dict):
        raise MalformedWebhook("The body is not a JSON object.")
    # Iterative, since the nesting is what is checked; about 0.15 ms per KB, and only bodies that
    # passed the signature check (the providers' own, a few KB) get here.
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            _storable(item)
        elif isinstance(item, float) and not math.isfinite(item):
            raise MalformedWebhook("The JSON has a number that is NaN, Infinity or beyond 1e308.")
        elif isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise MalformedWebhook(f"The JSON nests deeper than {MAX_DEPTH} levels.")
            children = item if isinstance(item, list) else [*item.keys(), *item.values()]
            pending.extend((child, depth + 1) for child in children)
    return value


def _storable(text: str) -> None:
    """Refuse what PostgreSQL cannot store in ``text`` or ``jsonb``."""
    if "\x00" in text:
        raise MalformedWebhook("The JSON has a NUL character (\\u0000), which PostgreSQL cannot store.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedWebhook("The JSON has an unpaired surrogate (\\ud800-\\udfff).") from None


def _text(event: dict[str, Any], key: str, *, where: str = "", prefix: str = "") -> str:
    """``event[key]``: a string of 1 to ``MAX_TEXT`` characters starting with ``prefix``."""
    value = event.get(key)
    if isinstance(value, str) and len(prefix) < len(value) <= MAX_TEXT and value.startswith(prefix):
        return value
    starting = f" starting with {prefix}" if prefix else ""
    raise MalformedWebhook(f"{where}{key} must be a string of 1 to {MAX_TEXT} characters{starting}.")


def _moment(event: dict[str, Any], key: str, *, per_second: int, where: str = "") -> dt.datetime:
    """``event[key]``: a whole number of seconds or ms since 1970, within the plausible range."""
    value = event.get(key)
    latest = dt.datetime.now(dt.UTC) + FUTURE_SKEW
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and EARLIEST.timestamp() * per_second <= value <= latest.timestamp() * per_second
    ):
        return dt.datetime.fromtimestamp(value / per_second, dt.UTC)
    unit = "seconds" if per_second == 1 else "milliseconds"
    raise MalformedWebhook(
        f"{where}{key} must be a whole number of {unit} since 1970, from {EARLIEST:%Y-%m-%d} to a day ahead."
    )
