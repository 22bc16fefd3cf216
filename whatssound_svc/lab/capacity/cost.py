"""The monthly bill (Supabase Pro, Expo, SMS, Cloudflare R2) from ``prices.toml``; cents only in render."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rich.table import Table

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

#: The price list shipped next to this module.
DEFAULT_PRICES = Path(__file__).with_name("prices.toml")
#: Supabase usage items in bill order: ``[supabase.usage.<key>]`` prices the :class:`Usage` field.
SUPABASE_ITEMS = {
    "mau": "mau", "db_disk": "db_disk_gb", "storage": "storage_gb", "egress": "egress_gb",
    "cached_egress": "cached_egress_gb", "realtime_messages": "realtime_messages",
    "realtime_peak_connections": "realtime_peak_connections", "edge_invocations": "edge_invocations",
    "image_transformations": "image_transformations",
}  # fmt: skip
#: Cloudflare R2 items in bill order: ``[r2.<key>]`` prices the :class:`Usage` field.
R2_ITEMS = {"storage": "r2_storage_gb", "class_a": "r2_class_a", "class_b": "r2_class_b"}
#: Compute sizes the price list must hold (it may hold more).
REQUIRED_COMPUTE = ("micro", "small", "medium", "large", "xl", "2xl")
#: Realtime limit tables the price list must hold: Pro with its default spend cap, and without.
REALTIME_PLANS = ("pro_spend_cap", "pro_no_spend_cap")

_Record = TypeVar("_Record", bound="DataclassInstance")


@dataclass(frozen=True)
class Metered:
    """A usage item: ``included`` units free, then ``price`` per ``package`` of units beyond them.

    With ``round_up`` the excess is billed in whole packages (8.5 M realtime messages are 3.5 M over
    a 5 M quota: 4 packages of 1 M); without it, pro rata (disk, storage and egress by the GB).
    """

    item: str
    unit: str
    included: float
    price: float
    package: float
    round_up: bool
    source: str

    def __post_init__(self) -> None:
        if self.package <= 0:
            raise ValueError(f"{self.item}: the package size must be positive, not {self.package!r}")

    def billed_units(self, quantity: float) -> float:
        """Packages beyond the quota for ``quantity`` units, in decimal: 5,000,001 messages are 1 over."""
        over = Decimal(repr(quantity)) - Decimal(repr(self.included))
        if over <= 0:
            return 0.0
        packages = over / Decimal(repr(self.package))
        return float(packages.to_integral_value(ROUND_CEILING) if self.round_up else packages)

    def line(self, service: str, quantity: float) -> Line:
        """The bill line for ``quantity`` units."""
        rounding = "whole packages" if self.round_up else "pro rata"
        note = f"${self.price:g} per {self.package:,g} {self.unit}, {rounding}"
        billed = self.billed_units(quantity)
        return Line(service, self.item, quantity, self.unit, self.included, billed, billed * self.price, note)


@dataclass(frozen=True)
class Compute:
    """A Supabase compute size: hourly price, cores and connection limits."""

    label: str
    hourly: float
    cores: int
    dedicated: bool
    max_db_connections: int
    pooler_max_clients: int
    source: str


@dataclass(frozen=True)
class RealtimeLimits:
    """Supabase Realtime's per-project limits for one plan setting."""

    messages_per_second: float
    channel_joins_per_second: float
    concurrent_connections: int
    source: str


@dataclass(frozen=True)
class Prices:
    """The whole price list, as of ``as_of`` (sources and notes in ``prices.toml``)."""

    as_of: date
    plan: str
    plan_monthly: float
    compute_credit: float
    compute: Mapping[str, Compute]
    supabase: Mapping[str, Metered]
    realtime_limits: Mapping[str, RealtimeLimits]
    push_price: float
    push_max_per_second: float
    sms_price_per_otp: float
    sms_resend_factor: float
    r2: Mapping[str, Metered]


class _Doc:
    """A parsed TOML document read by dotted key; a miss or a wrong type is a ValueError naming it."""

    def __init__(self, path: Path, data: Mapping[str, Any]) -> None:
        self.path, self.data = path, data

    def get(self, key: str, kind: str) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise ValueError(f"{self.path}: missing key {key!r}")
            node = node[part]
        number = isinstance(node, int | float) and not isinstance(node, bool) and node >= 0
        valid = {
            "str": isinstance(node, str) and node != "", "bool": isinstance(node, bool),
            "float": number, "int": number and isinstance(node, int), "date": isinstance(node, date),
            "table": isinstance(node, Mapping),
        }  # fmt: skip
        if not valid[kind]:
            raise ValueError(f"{self.path}: key {key!r} must be of type {kind}, not {node!r}")
        return float(node) if kind == "float" else node

    def record(self, cls: type[_Record], key: str) -> _Record:
        return cls(**{field.name: self.get(f"{key}.{field.name}", str(field.type)) for field in fields(cls)})

    def records(self, cls: type[_Record], key: str, required: Collection[str]) -> dict[str, _Record]:
        names = [*required, *(name for name in self.get(key, "table") if name not in required)]
        return {name: self.record(cls, f"{key}.{name}") for name in names}


def load_prices(path: Path | None = None) -> Prices:
    """Read and check a price list (by default the packaged ``prices.toml``).

    Raises ValueError naming the first missing or ill-typed key, e.g. ``'sms.resend_factor'``.
    """
    path = path or DEFAULT_PRICES
    doc = _Doc(path, tomllib.loads(path.read_text(encoding="utf-8")))
    for entry in ("supabase.plan", "supabase.compute_credit", "expo", "sms"):
        doc.get(f"{entry}.source", "str")
    return Prices(
        as_of=doc.get("as_of", "date"),
        plan=doc.get("supabase.plan.name", "str"),
        plan_monthly=doc.get("supabase.plan.monthly", "float"),
        compute_credit=doc.get("supabase.compute_credit.monthly", "float"),
        compute=doc.records(Compute, "supabase.compute", REQUIRED_COMPUTE),
        supabase=doc.records(Metered, "supabase.usage", SUPABASE_ITEMS),
        realtime_limits=doc.records(RealtimeLimits, "supabase.realtime_limits", REALTIME_PLANS),
        push_price=doc.get("expo.price_per_notification", "float"),
        push_max_per_second=doc.get("expo.max_per_second", "float"),
        sms_price_per_otp=doc.get("sms.price_per_otp", "float"),
        sms_resend_factor=doc.get("sms.resend_factor", "float"),
        r2=doc.records(Metered, "r2", R2_ITEMS),
    )


@dataclass(frozen=True)
class Usage:
    """One month's quantities for the organisation (one Supabase project)."""

    mau: int
    compute: str = "micro"
    compute_hours: float = 744
    event_compute: str | None = None  # a bigger size for the month's biggest set (its hours)
    event_compute_hours: float = 0
    realtime_messages: float = 0
    realtime_peak_connections: int = 0
    egress_gb: float = 0
    cached_egress_gb: float = 0
    storage_gb: float = 0
    db_disk_gb: float = 8
    edge_invocations: float = 0
    image_transformations: int = 0
    sms_otps: float = 0
    push_notifications: float = 0
    r2_storage_gb: float = 0
    r2_class_a: float = 0
    r2_class_b: float = 0

    def __post_init__(self) -> None:
        sizes = {"compute", "event_compute"}
        numbers = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in sizes}
        if bad := [name for name, value in numbers.items() if not (math.isfinite(value) and value >= 0)]:
            raise ValueError(f"usage must be finite and non-negative: {', '.join(bad)}")


@dataclass(frozen=True)
class Line:
    """One line of the bill; ``billed_units`` are the packages (or units) beyond ``included``."""

    service: str
    item: str
    quantity: float
    unit: str
    included: float
    billed_units: float
    cost: float
    note: str = ""


@dataclass(frozen=True)
class Bill:
    """A month's bill, line by line, costs unrounded."""

    lines: tuple[Line, ...]

    @property
    def total(self) -> float:
        """The sum of every line, credits included."""
        return math.fsum(line.cost for line in self.lines)

    def top(self, n: int) -> list[Line]:
        """The ``n`` costliest lines, costliest first."""
        return sorted(self.lines, key=lambda line: line.cost, reverse=True)[:n]


def bill(usage: Usage, prices: Prices) -> Bill:
    """Price ``usage``: the plan, compute less its credit, each usage item, Expo, SMS and R2."""
    sizes = [s for s in (usage.compute, usage.event_compute) if s is not None]
    if unknown := [s for s in sizes if s not in prices.compute]:
        raise ValueError(f"unknown compute size {unknown[0]!r}; known: {', '.join(prices.compute)}")
    size = prices.compute[usage.compute]
    hours = math.ceil(usage.compute_hours)  # a partial hour is billed as a full one
    note = f"${size.hourly:g}/hour; {size.max_db_connections} DB connections"
    compute_lines = [Line("Supabase", f"Compute ({size.label})", usage.compute_hours, "hours", 0, hours,
                          hours * size.hourly, note)]  # fmt: skip
    if usage.event_compute:
        event = prices.compute[usage.event_compute]
        event_hours = math.ceil(usage.event_compute_hours)
        compute_lines.append(
            Line(
                "Supabase",
                f"Compute ({event.label}, the biggest set)",
                usage.event_compute_hours,
                "hours",
                0,
                event_hours,
                event_hours * event.hourly,
                f"${event.hourly:g}/hour; {event.cores} cores",
            )
        )
    compute = math.fsum(line.cost for line in compute_lines)
    texts = usage.sms_otps * prices.sms_resend_factor
    return Bill((
        Line("Supabase", f"{prices.plan} plan", 1, "month", 0, 1, prices.plan_monthly),
        *compute_lines,
        Line("Supabase", "Compute credit", 1, "month", 0, 1, -min(prices.compute_credit, compute),
             f"${prices.compute_credit:g}/month, capped at the compute cost"),
        *(prices.supabase[k].line("Supabase", getattr(usage, f)) for k, f in SUPABASE_ITEMS.items()),
        Line("Expo", "Push notifications", usage.push_notifications, "notifications", 0,
             usage.push_notifications, usage.push_notifications * prices.push_price,
             f"{prices.push_max_per_second:,g}/s per project"),
        Line("SMS", "One-time codes", usage.sms_otps, "codes", 0, texts, texts * prices.sms_price_per_otp,
             f"{prices.sms_resend_factor:g} texts per code at ${prices.sms_price_per_otp:g}"),
        *(prices.r2[k].line("Cloudflare R2", getattr(usage, f)) for k, f in R2_ITEMS.items()),
    ))  # fmt: skip


@dataclass(frozen=True)
class Peaks:
    """The month's peak rates, compared with the per-project limits by :func:`breaches`."""

    messages_per_second: float
    concurrent_connections: int
    channel_joins_per_second: float
    push_notifications_per_second: float = 0
    db_cores: float = 0  # the database's busy cores at the busiest moment
    compute: str = "micro"  # the size running then


#: The database may use this share of a compute size's cores at the month's peak: PostgREST, Auth
#: and Storage run on the same instance, and shared-core sizes (Micro to Medium) burst from a baseline.
DB_CORE_SHARE = 0.5


def _num(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def breaches(peaks: Peaks, prices: Prices, *, spend_cap: bool = False) -> list[str]:
    """A sentence per limit ``peaks`` exceed: Realtime's (Pro with or without spend cap) and Expo's."""
    limits = prices.realtime_limits["pro_spend_cap" if spend_cap else "pro_no_spend_cap"]
    plan = "Pro with spend cap" if spend_cap else "Pro without spend cap"
    checks = (
        ("delivered messages", peaks.messages_per_second, limits.messages_per_second, "/s",
         f"{plan}; Realtime disconnects with tenant_events"),
        ("concurrent connections", peaks.concurrent_connections, limits.concurrent_connections, "",
         f"{plan}; Realtime refuses with too_many_connections"),
        ("channel joins", peaks.channel_joins_per_second, limits.channel_joins_per_second, "/s",
         f"{plan}; Realtime refuses with too_many_joins"),
        ("push notifications", peaks.push_notifications_per_second, prices.push_max_per_second, "/s",
         "Expo; requests above it fail"),
        ("database cores", peaks.db_cores, DB_CORE_SHARE * prices.compute[peaks.compute].cores, "",
         f"{prices.compute[peaks.compute].label}: half its {prices.compute[peaks.compute].cores} cores; "
         "run the biggest set on a bigger compute (--event-compute)"),
    )  # fmt: skip
    return [
        f"{name} {_num(peak)}{per} exceed the {_num(limit)}{per} project limit ({why})"
        for name, peak, limit, per, why in checks
        if peak > limit
    ]


def _money(amount: float) -> str:
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"


def render(bill: Bill, breaches: Sequence[str] = ()) -> Table:
    """The bill as a rich table (service, item, quantity, included, cost; a total row), breaches below."""
    caption = "\n".join(f"LIMIT: {text}" for text in breaches) or None
    table = Table(title="Monthly bill (USD)", caption=caption, caption_style="red", caption_justify="left")
    for heading in ("Service", "Item", "Quantity", "Included", "Cost"):
        table.add_column(heading, justify="left" if heading in {"Service", "Item"} else "right")
    for line in bill.lines:
        quantity = f"{_num(line.quantity)} {line.unit}"
        table.add_row(line.service, line.item, quantity, _num(line.included), _money(line.cost))
    table.add_section()
    table.add_row("Total", "", "", "", _money(bill.total), style="bold")
    return table
