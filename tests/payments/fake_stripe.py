"""A loopback Stripe API: the part of it our edge functions and ``whatssound reconcile stripe`` use,
behaving as Stripe documents it (docs.stripe.com/api, /idempotency, /rate-limits, /error-codes).

- Auth: ``Authorization: Bearer <secret key>``; a wrong key is 401 ``invalid_request_error``.
- Bodies are form-encoded with bracketed keys (``transfer_data[destination]=acct_...``).
- Idempotency: a POST's ``Idempotency-Key`` (at most 255 characters) replays the first response
  (2xx or 500) with ``Idempotent-Replayed: true``; the same key with other parameters is 400
  ``idempotency_error``; validation failures are not stored.
- Rate limit: ``rate_per_second`` requests (test mode: 25) then 429 ``rate_limit``.
- Errors: ``{"error": {"type", "code", "message", "param"}}`` with Stripe's status codes; faults
  can be queued (``fail_next``), answered with ``Stripe-Should-Retry``.
- Objects: accounts (created, retrieved with ``GET /v1/accounts/{id}`` as they are now; 404
  ``resource_missing`` for an unknown id; + account links, login links), payment intents, and the events they
  cause, listed by ``GET /v1/events`` newest first with ``created[gte]``, ``limit`` and
  ``starting_after`` pagination. Stripe itself sends webhooks; the fake only records events.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

KEY = "sk_test_whatssound"
PUBLISHABLE_KEY = "pk_test_whatssound"
#: Stripe's minimum charge per currency, smallest unit (docs.stripe.com/currencies).
MINIMUM = {"usd": 50, "eur": 50, "cad": 50, "aud": 50, "gbp": 30, "jpy": 50}


class StripeError(Exception):
    def __init__(
        self, status: int, type_: str, message: str, code: str | None = None, param: str | None = None
    ):
        super().__init__(message)
        self.status, self.body = (
            status,
            {"error": {"type": type_, "message": message, "code": code, "param": param}},
        )


def missing(param: str) -> StripeError:
    return StripeError(
        400, "invalid_request_error", f"Missing required param: {param}.", "parameter_missing", param
    )


def no_such(kind: str, ident: str, param: str | None = None) -> StripeError:
    return StripeError(404 if param is None else 400, "invalid_request_error", f"No such {kind}: '{ident}'",
                       "resource_missing", param)  # fmt: skip


def form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's bracketed form keys as nested dicts (``a[b][c]=v``); ``a[]=v`` collects a list."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        names = [key.split("[", 1)[0], *re.findall(r"\[([^\]]*)\]", key)]
        collect = names[-1] == ""
        if collect:
            names.pop()
        node = out
        for name in names[:-1]:
            node = node.setdefault(name, {})
        if collect:
            node.setdefault(names[-1], []).append(value)
        else:
            node[names[-1]] = value
    return out


def found(store: dict[str, dict[str, Any]], kind: str, ident: str) -> dict[str, Any]:
    if ident not in store:
        raise no_such(kind, ident)
    return store[ident]


class FakeStripe:
    """State of the fake: objects, events, idempotency records, requests seen, queued faults."""

    def __init__(self, rate_per_second: int = 25) -> None:
        self.accounts: dict[str, dict[str, Any]] = {}
        self.intents: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str, dict[str, str], dict[str, Any]]] = []
        self.idempotency: dict[str, tuple[tuple[str, str, str], int, dict[str, Any]]] = {}
        self.faults: list[int] = []
        self.rate_per_second = rate_per_second
        self._second, self._count = 0, 0
        self.lock = threading.Lock()
        self.url = ""

    # test controls ---------------------------------------------------------------------------

    def fail_next(self, times: int = 1, status: int = 500) -> None:
        """The next ``times`` requests fail (after auth): 429 rate_limit, or a 5xx api_error."""
        self.faults += [status] * times

    def event(self, type_: str, obj: dict[str, Any], account: str | None = None) -> dict[str, Any]:
        """Record an event as Stripe would create it for ``obj``; returns it."""
        event = {"id": f"evt_{uuid.uuid4().hex[:24]}", "object": "event", "api_version": "2026-10-28.endive",
                 "created": int(time.time()), "livemode": False, "type": type_, "account": account,
                 "pending_webhooks": 1, "data": {"object": dict(obj)}}  # fmt: skip
        if account is None:
            del event["account"]
        self.events.append(event)
        return event

    def express_account(self) -> str:
        """A new Express account, as ``POST /v1/accounts`` makes it; returns its id."""
        return str(self._create_account({"controller": {"stripe_dashboard": {"type": "express"}}})["id"])

    def activate(self, account_id: str) -> dict[str, Any]:
        """The DJ finished onboarding: the account can take charges; returns account.updated."""
        account = self.accounts[account_id]
        account.update(charges_enabled=True, payouts_enabled=True, details_submitted=True,
                       requirements={"currently_due": [], "disabled_reason": None},
                       capabilities={"transfers": "active"})  # fmt: skip
        return self.event("account.updated", account, account=account_id)

    def set_charges(self, account_id: str, enabled: bool) -> dict[str, Any]:
        """Stripe enabled or disabled charges (and payouts) on the account; returns account.updated."""
        account = self.accounts[account_id]
        account.update(charges_enabled=enabled, payouts_enabled=enabled,
                       requirements={"currently_due": [] if enabled else ["individual.verification.document"],
                                     "disabled_reason": None if enabled else "requirements.past_due"})  # fmt: skip
        return self.event("account.updated", account, account=account_id)

    def succeed(self, intent_id: str) -> dict[str, Any]:
        """The tipper paid: the PaymentIntent succeeded; returns payment_intent.succeeded."""
        intent = self.intents[intent_id]
        intent.update(
            status="succeeded", amount_received=intent["amount"], latest_charge=f"ch_{uuid.uuid4().hex[:24]}"
        )
        return self.event("payment_intent.succeeded", intent)

    # the API -------------------------------------------------------------------------------------

    def _rate_limited(self) -> bool:
        second = int(time.monotonic())
        if second != self._second:
            self._second, self._count = second, 0
        self._count += 1
        return self._count > self.rate_per_second

    def handle(
        self, method: str, path: str, headers: dict[str, str], params: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self.lock:
            self.requests.append((method, path, headers, params))
            if headers.get("authorization") != f"Bearer {KEY}":
                raise StripeError(401, "invalid_request_error", "Invalid API Key provided: sk_test_****")
            limited = self._rate_limited()
            if self.faults and self.faults[0] == 429:
                limited = bool(self.faults.pop(0))
            if limited:
                raise StripeError(429, "invalid_request_error",
                                  "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
                                  "rate_limit")  # fmt: skip
            key = headers.get("idempotency-key") if method == "POST" else None
            fingerprint = (method, path, repr(sorted(params.items())))
            if key is not None:
                if len(key) > 255:
                    raise StripeError(
                        400, "invalid_request_error", "Idempotency keys are at most 255 characters."
                    )
                if key in self.idempotency:
                    seen, status, body = self.idempotency[key]
                    if seen != fingerprint:
                        raise StripeError(400, "idempotency_error",
                                          "Keys for idempotent requests can only be used with the same parameters they "
                                          f"were first used with. Try using a key other than '{key}' if you meant to "
                                          "execute a different request.")  # fmt: skip
                    return status, body, {"Idempotent-Replayed": "true"}
            if self.faults:
                error = StripeError(self.faults.pop(0), "api_error", "An unknown error occurred")
                if key is not None:  # a 5xx is replayed for its key; a 429 is not stored
                    self.idempotency[key] = (fingerprint, error.status, error.body)
                return error.status, error.body, {}
            status, body = 200, self._route(method, path, params, headers.get("stripe-account"))
            if key is not None:
                self.idempotency[key] = (fingerprint, status, body)
            return status, body, {}

    def _route(self, method: str, path: str, params: dict[str, Any], account: str | None) -> dict[str, Any]:
        routes: list[tuple[str, str, Callable[[re.Match[str]], dict[str, Any]]]] = [
            ("POST", r"/v1/accounts", lambda _: self._create_account(params)),
            ("GET", r"/v1/accounts/(acct_\w+)", lambda m: found(self.accounts, "account", m[1])),
            ("POST", r"/v1/account_links", lambda _: self._account_link(params)),
            ("POST", r"/v1/accounts/(acct_\w+)/login_links", lambda m: self._login_link(m[1])),
            ("POST", r"/v1/payment_intents", lambda _: self._create_intent(params)),
            ("GET", r"/v1/payment_intents/(pi_\w+)", lambda m: found(self.intents, "payment_intent", m[1])),
            ("GET", r"/v1/events", lambda _: self._list_events(params, account)),
        ]
        for verb, pattern, answer in routes:
            if verb == method and (match := re.fullmatch(pattern, path)):
                return answer(match)
        raise StripeError(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path}).")

    def _login_link(self, account_id: str) -> dict[str, Any]:
        if not found(self.accounts, "account", account_id)["details_submitted"]:
            raise StripeError(400, "invalid_request_error",
                              "Cannot create a login link for an account that has not completed onboarding.")  # fmt: skip
        return {"object": "login_link", "created": int(time.time()),
                "url": f"https://connect.stripe.com/express/{uuid.uuid4().hex}"}  # fmt: skip

    def _create_account(self, params: dict[str, Any]) -> dict[str, Any]:
        dashboard = params.get("controller", {}).get("stripe_dashboard", {}).get("type")
        if dashboard not in ("express", "full", "none"):
            raise StripeError(400, "invalid_request_error", "Invalid controller[stripe_dashboard][type].",
                              "parameter_invalid_string", "controller[stripe_dashboard][type]")  # fmt: skip
        account_id = f"acct_{uuid.uuid4().hex[:16]}"
        self.accounts[account_id] = {
            "id": account_id, "object": "account", "country": params.get("country", "US"), "type": "express",
            "controller": params["controller"], "metadata": params.get("metadata", {}), "charges_enabled": False,
            "payouts_enabled": False, "details_submitted": False, "capabilities": {"transfers": "inactive"},
            "requirements": {"currently_due": ["external_account", "tos_acceptance.date"], "disabled_reason": None},
        }  # fmt: skip
        return self.accounts[account_id]

    def _account_link(self, params: dict[str, Any]) -> dict[str, Any]:
        for required in ("account", "type"):
            if required not in params:
                raise missing(required)
        if params["account"] not in self.accounts:
            raise no_such("account", params["account"], "account")
        if params["type"] == "account_onboarding" and "refresh_url" not in params:
            raise missing("refresh_url")
        created = int(time.time())
        return {"object": "account_link", "created": created, "expires_at": created + 300,
                "url": f"https://connect.stripe.com/setup/e/{params['account']}/{uuid.uuid4().hex}"}  # fmt: skip

    def _create_intent(self, params: dict[str, Any]) -> dict[str, Any]:
        for required in ("amount", "currency"):
            if required not in params:
                raise missing(required)
        amount, currency = int(params["amount"]), params["currency"]
        if amount < MINIMUM.get(currency, 1):
            raise StripeError(400, "invalid_request_error", "Amount must be at least the currency's minimum.",
                              "amount_too_small", "amount")  # fmt: skip
        if amount > 99_999_999:
            raise StripeError(400, "invalid_request_error", "Amount must be no more than 99999999.",
                              "amount_too_large", "amount")  # fmt: skip
        fee = int(params.get("application_fee_amount", 0))
        if fee > amount:
            raise StripeError(400, "invalid_request_error", "The application fee cannot exceed the amount.",
                              "parameter_invalid_integer", "application_fee_amount")  # fmt: skip
        destination = params.get("transfer_data", {}).get("destination")
        if destination is not None:
            account = self.accounts.get(destination)
            if account is None:
                raise no_such("destination", destination, "transfer_data[destination]")
            if account["capabilities"].get("transfers") != "active":
                raise StripeError(400, "invalid_request_error",
                                  "Your destination account needs to have at least one of the following capabilities "
                                  "enabled: transfers, crypto_transfers, legacy_payments",
                                  "insufficient_capabilities_for_transfer", "transfer_data[destination]")  # fmt: skip
        intent_id = f"pi_{uuid.uuid4().hex[:24]}"
        intent = {
            "id": intent_id, "object": "payment_intent", "amount": amount, "amount_received": 0,
            "currency": currency, "application_fee_amount": fee or None, "status": "requires_payment_method",
            "client_secret": f"{intent_id}_secret_{uuid.uuid4().hex[:24]}", "latest_charge": None,
            "transfer_data": {"destination": destination} if destination else None,
            "metadata": params.get("metadata", {}), "livemode": False, "created": int(time.time()),
        }  # fmt: skip
        self.intents[intent_id] = intent
        self.event("payment_intent.created", intent)
        return intent

    def _list_events(self, params: dict[str, Any], account: str | None) -> dict[str, Any]:
        """Events of the platform, or of one connected account (Stripe-Account header), newest first."""
        limit = int(params.get("limit", 10))
        if not 1 <= limit <= 100:
            raise StripeError(400, "invalid_request_error", "limit must be between 1 and 100.",
                              "parameter_invalid_integer", "limit")  # fmt: skip
        created = params.get("created", {})
        gte = int(created.get("gte", 0)) if isinstance(created, dict) else int(created)
        events = [e for e in reversed(self.events) if e["created"] >= gte and e.get("account") == account]
        if "type" in params:
            events = [e for e in events if e["type"] == params["type"]]
        if "starting_after" in params:
            ids = [e["id"] for e in events]
            if params["starting_after"] not in ids:
                raise no_such("event", params["starting_after"], "starting_after")
            events = events[ids.index(params["starting_after"]) + 1 :]
        return {
            "object": "list",
            "url": "/v1/events",
            "has_more": len(events) > limit,
            "data": events[:limit],
        }


def handler_for(fake: FakeStripe) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            params = form(parse_qsl(parts.query if method == "GET" else body, keep_blank_values=True))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                status, document, extra = fake.handle(method, parts.path, headers, params)
            except StripeError as error:
                status, document, extra = error.status, error.body, {}
            payload = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Request-Id", f"req_{uuid.uuid4().hex[:14]}")
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def running(rate_per_second: int = 25) -> Iterator[FakeStripe]:
    fake = FakeStripe(rate_per_second)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
