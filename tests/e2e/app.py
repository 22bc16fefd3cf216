"""The app's side of the end-to-end flows, through supabase-py exactly as the app calls the
stack: phone OTP sign-in, RPCs through PostgREST, a private Realtime channel, Storage, and the
edge functions. Small pieces, each checked without Docker in tests/e2e/test_stack.py."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2
from realtime import AsyncRealtimeChannel
from realtime.types import BroadcastPayload, RealtimeChannelConfig
from supabase import AsyncClient, AsyncClientOptions, acreate_client

from tests.e2e.stack import Stack

#: The fixed code of config.toml's [auth.sms.test_otp] numbers.
TEST_OTP = "123456"
#: A 1x1 transparent PNG: the smallest image the avatars bucket accepts (image/png).
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@dataclass(frozen=True)
class Tokens:
    """A signed-in user's session, kept between tests so each number signs in once a run
    (GoTrue allows one code per number per minute: config.toml `max_frequency`)."""

    user_id: str
    access_token: str
    refresh_token: str


def claims(access_token: str) -> dict[str, Any]:
    """An access token's claims, read (not verified) as the app reads them for its UI."""
    payload = access_token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


def e164(test_number: str) -> str:
    """A config.toml test number (digits, as GoTrue stores phones) as the app sends it."""
    return test_number if test_number.startswith("+") else f"+{test_number}"


def options() -> AsyncClientOptions:
    """Client options for a test: no background token refresh outliving its event loop."""
    return AsyncClientOptions(auto_refresh_token=False)


async def sign_in(stack: Stack, test_number: str) -> Tokens:
    """Sign in with a test phone number: request the code, verify the fixed one."""
    client = await acreate_client(stack.api_url, stack.anon_key, options())
    phone = e164(test_number)
    await client.auth.sign_in_with_otp({"phone": phone})
    response = await client.auth.verify_otp({"phone": phone, "token": TEST_OTP, "type": "sms"})
    assert response.session is not None, "verify_otp returned no session"
    assert response.user is not None
    return Tokens(response.user.id, response.session.access_token, response.session.refresh_token)


async def client_as(stack: Stack, tokens: Tokens | None) -> AsyncClient:
    """A client signed in with ``tokens`` (or signed out), its Realtime connection included."""
    client = await acreate_client(stack.api_url, stack.anon_key, options())
    if tokens is not None:
        await client.auth.set_session(tokens.access_token, tokens.refresh_token)
        await client.realtime.set_auth(tokens.access_token)
    return client


async def rpc(client: AsyncClient, name: str, args: dict[str, Any]) -> Any:
    """``supabase.rpc(name, args)``'s data (a PostgREST error raises postgrest.APIError)."""
    return (await client.rpc(name, args).execute()).data


def carries_message(envelope: dict[str, Any], body: str) -> bool:
    """Whether a session-topic envelope delivers the chat line ``body``: a `chat.message`
    broadcast at once, or a `tick` batching it (docs/realtime-events.md)."""
    data = envelope.get("data") or {}
    if envelope.get("event") == "chat.message":
        return data.get("body") == body
    if envelope.get("event") == "tick":
        return any(line.get("body") == body for line in data.get("chat") or [])
    return False


def private_channel(client: AsyncClient, topic: str) -> AsyncRealtimeChannel:
    """The private (RLS-authorized) channel ``topic``, not yet joined."""
    config: RealtimeChannelConfig = {
        "private": True, "broadcast": {"ack": False, "self": False}, "presence": {"key": "", "enabled": False},
    }  # fmt: skip
    return client.channel(topic, {"config": config})


async def subscribe_private(
    client: AsyncClient, topic: str, received: Callable[[dict[str, Any]], None]
) -> AsyncRealtimeChannel:
    """Join the private channel ``topic``; every broadcast's envelope goes to ``received``."""

    def on_broadcast(message: BroadcastPayload) -> None:
        received(message["payload"])

    channel = private_channel(client, topic).on_broadcast("*", on_broadcast)
    await channel.subscribe()
    assert channel.is_joined, f"could not join {topic} (Realtime authorization refused?)"
    return channel


async def first_matching(
    inbox: asyncio.Queue[dict[str, Any]], matches: Callable[[dict[str, Any]], bool], timeout: float
) -> dict[str, Any]:
    """The first envelope in ``inbox`` that ``matches`` within ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while True:
            envelope = await inbox.get()
            if matches(envelope):
                return envelope


def avatar_path(user_id: str, name: str = "avatar.png") -> str:
    """Where a user's avatar goes: their own folder (sql/media storage policies)."""
    return f"{user_id}/{name}"


def call_function(stack: Stack, name: str, body: dict[str, Any], access_token: str | None) -> tuple[int, Any]:
    """POST to an edge function as the app would (anon key as apikey; the user's token, or the
    anon key when signed out, as the bearer): the status and the JSON body (else the text)."""
    headers = {"apikey": stack.anon_key, "authorization": f"Bearer {access_token or stack.anon_key}"}
    response = httpx2.post(f"{stack.functions_url}/{name}", json=body, headers=headers, timeout=60)
    return response.status_code, answer(response.headers.get("content-type", ""), response.text)


def answer(content_type: str, text: str) -> Any:
    """A response body: parsed if JSON, else the text (a gateway's or runtime's own error page)."""
    return json.loads(text) if content_type.startswith("application/json") and text else text


def is_ours(body: Any) -> bool:
    """Whether a function answered itself (our errors carry a `code`, edge/_shared/errors.ts),
    not the gateway or the edge runtime while the function is not up yet."""
    return isinstance(body, dict) and "code" in body


def functions_ready(stack: Stack, name: str) -> bool:
    """Whether ``name`` answers a signed-out call itself (its 401 LOGIN) through the gateway."""
    try:
        _, body = call_function(stack, name, {}, None)
    except httpx2.HTTPError:
        return False
    return is_ours(body)
