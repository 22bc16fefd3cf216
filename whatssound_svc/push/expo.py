"""Expo's push API: ``POST /--/api/v2/push/send`` (≤ 100 messages) and ``/getReceipts`` (≤ 1000 ids).

A whole request fails with an HTTP status and ``errors``: 429 ``TOO_MANY_REQUESTS`` and 5xx are
worth retrying, as are network failures; 400 means the payload is wrong and is never retried;
401 means the access token is missing or wrong. Otherwise each message gets a ticket, in order:
``{"status": "ok", "id"}`` or ``{"status": "error", "message", "details": {"error": CODE}}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx2

from whatssound_svc.push.settings import PushSettings


class ExpoRequestError(Exception):
    """The whole request failed: ``retryable`` says whether sending it again may work."""

    def __init__(self, status: int | None, code: str, retryable: bool) -> None:
        super().__init__(f"Expo request failed: {status or 'network'} {code}")
        self.status, self.code, self.retryable = status, code, retryable


@dataclass(frozen=True)
class Ticket:
    """Expo's answer for one message."""

    ok: bool
    id: str | None = None
    error: str | None = None


class Expo:
    """A client with the service's timeout and access token."""

    def __init__(self, settings: PushSettings, http: httpx2.AsyncClient | None = None) -> None:
        headers = {"accept": "application/json", "accept-encoding": "gzip, deflate"}
        if settings.expo_access_token is not None:
            headers["authorization"] = f"Bearer {settings.expo_access_token.get_secret_value()}"
        self.http = http or httpx2.AsyncClient(
            base_url=settings.expo_url, headers=headers, timeout=settings.request_timeout_s
        )

    async def _post(self, path: str, document: Any) -> Any:
        try:
            response = await self.http.post(path, json=document)
        except httpx2.TransportError as exc:
            raise ExpoRequestError(None, type(exc).__name__, retryable=True) from exc
        if response.status_code != 200:
            try:
                code = str(response.json()["errors"][0]["code"])
            except (ValueError, KeyError, IndexError, TypeError):
                code = f"HTTP_{response.status_code}"
            retryable = response.status_code == 429 or response.status_code >= 500
            raise ExpoRequestError(response.status_code, code, retryable)
        return response.json()

    async def send(self, messages: list[dict[str, Any]]) -> list[Ticket]:
        """Send ≤ 100 messages; one ticket per message, in order."""
        answer = await self._post("/--/api/v2/push/send", messages)
        tickets = answer.get("data") or []
        if len(tickets) != len(messages):
            raise ExpoRequestError(200, "TICKET_COUNT_MISMATCH", retryable=False)
        return [
            Ticket(ok=True, id=t.get("id"))
            if t.get("status") == "ok"
            else Ticket(ok=False, error=(t.get("details") or {}).get("error") or "UnknownError")
            for t in tickets
        ]

    async def receipts(self, ids: list[str]) -> dict[str, Ticket]:
        """Receipts of ≤ 1000 tickets; ids Expo has no receipt for yet are absent."""
        answer = await self._post("/--/api/v2/push/getReceipts", {"ids": ids})
        out: dict[str, Ticket] = {}
        for ticket_id, receipt in (answer.get("data") or {}).items():
            if receipt.get("status") == "ok":
                out[ticket_id] = Ticket(ok=True, id=ticket_id)
            else:
                out[ticket_id] = Ticket(
                    ok=False, id=ticket_id, error=(receipt.get("details") or {}).get("error")
                )
        return out

    async def aclose(self) -> None:
        await self.http.aclose()
