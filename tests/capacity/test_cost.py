"""The monthly cost model against Supabase's and Cloudflare's own worked billing examples.

Pure unit tests, no database. The figures are as published (notes: issue10_prices.md section 3);
the docs round compute to whole dollars (Small for 730 h is $15.04, printed $15), so totals that
include Small are compared to the cent-free figure within 5 cents.
"""

from __future__ import annotations

import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from whatssound_svc.lab.capacity.cost import (
    DEFAULT_PRICES,
    Bill,
    Line,
    Peaks,
    Prices,
    Usage,
    bill,
    breaches,
    load_prices,
    render,
)

WHOLE_DOLLARS = 0.05


@pytest.fixture(scope="module")
def prices() -> Prices:
    """The packaged price list."""
    return load_prices()


def line(month: Bill, item: str) -> Line:
    """The bill's line for ``item``."""
    (found,) = [each for each in month.lines if each.item == item]
    return found


# ---------------------------------------------------------------- the price list


def test_the_packaged_price_list_is_dated_and_every_entry_names_its_source(prices: Prices) -> None:
    assert prices.as_of == date(2026, 11, 28)
    metered = [*prices.supabase.values(), *prices.r2.values()]
    sources = [m.source for m in metered] + [c.source for c in prices.compute.values()]
    sources += [limits.source for limits in prices.realtime_limits.values()]
    assert all(source.startswith("https://") for source in sources)
    assert {"micro", "small", "medium", "large", "xl", "2xl"} <= set(prices.compute)
    assert prices.compute["micro"].max_db_connections == 60
    assert (prices.plan, prices.plan_monthly, prices.compute_credit) == ("Pro", 25.0, 10.0)


@pytest.mark.parametrize(
    ("drop", "key"),
    [
        ("resend_factor = 1.2", "sms.resend_factor"),  # a scalar the SMS line needs
        ("as_of = 2026-11-28", "as_of"),  # the date the prices were read
        ('label = "2XL"', "supabase.compute.2xl.label"),  # a required compute size, incomplete
    ],
)
def test_a_price_list_missing_a_key_is_refused_naming_the_key(tmp_path: Path, drop: str, key: str) -> None:
    text = DEFAULT_PRICES.read_text(encoding="utf-8")
    assert drop in text
    broken = tmp_path / "prices.toml"
    broken.write_text(text.replace(drop, ""), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"missing key '{key}'")):
        load_prices(broken)


def test_a_price_list_with_a_price_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    text = DEFAULT_PRICES.read_text(encoding="utf-8")
    broken = tmp_path / "prices.toml"
    broken.write_text(text.replace("price_per_otp = 0.04", 'price_per_otp = "4 cents"'), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape("'sms.price_per_otp' must be of type float")):
        load_prices(broken)


# ---------------------------------------------------------------- plan and compute


def test_one_micro_project_for_a_whole_month_costs_the_plan_alone(prices: Prices) -> None:
    month = bill(Usage(mau=0), prices)
    assert line(month, "Compute (Micro)").cost == pytest.approx(10, abs=0.01)
    assert line(month, "Compute credit").cost == -line(month, "Compute (Micro)").cost
    assert month.total == pytest.approx(25)


def test_the_compute_credit_never_exceeds_the_compute_cost(prices: Prices) -> None:
    month = bill(Usage(mau=0, compute_hours=100), prices)
    assert line(month, "Compute credit").cost == pytest.approx(-100 * 0.01344)
    assert month.total == pytest.approx(25)


def test_a_partial_compute_hour_is_billed_as_a_full_one(prices: Prices) -> None:
    month = bill(Usage(mau=0, compute="small", compute_hours=729.2), prices)
    assert line(month, "Compute (Small)").billed_units == 730
    assert line(month, "Compute (Small)").cost == pytest.approx(730 * 0.0206)


def test_an_unknown_compute_size_is_refused(prices: Prices) -> None:
    with pytest.raises(ValueError, match="unknown compute size 'huge'"):
        bill(Usage(mau=0, compute="huge"), prices)


# ---------------------------------------------------------------- package rounding


@pytest.mark.parametrize(
    ("item", "over_quota", "packages", "cost"),
    [
        # Realtime messages, packages of 1 M at $2.50
        ("realtime_messages", 999_999, 1, 2.50),
        ("realtime_messages", 1_000_000, 1, 2.50),
        ("realtime_messages", 1_000_001, 2, 5.00),
        ("realtime_messages", 1_500_000, 2, 5.00),
        # Realtime peak connections, packages of 1,000 at $10
        ("realtime_peak_connections", 999, 1, 10.0),
        ("realtime_peak_connections", 1_000, 1, 10.0),
        ("realtime_peak_connections", 1_001, 2, 20.0),
        ("realtime_peak_connections", 1_500, 2, 20.0),
        # Edge Function invocations, packages of 1 M at $2
        ("edge_invocations", 999_999, 1, 2.0),
        ("edge_invocations", 1_000_000, 1, 2.0),
        ("edge_invocations", 1_000_001, 2, 4.0),
        ("edge_invocations", 1_500_000, 2, 4.0),
        # Image transformations, packages of 1,000 origin images at $5
        ("image_transformations", 999, 1, 5.0),
        ("image_transformations", 1_000, 1, 5.0),
        ("image_transformations", 1_001, 2, 10.0),
        ("image_transformations", 1_500, 2, 10.0),
    ],
)
def test_usage_beyond_the_quota_is_billed_in_whole_packages(
    prices: Prices, item: str, over_quota: int, packages: int, cost: float
) -> None:
    metered = prices.supabase[item]
    billed = metered.line("Supabase", metered.included + over_quota)
    assert billed.billed_units == packages
    assert billed.cost == pytest.approx(cost)


def test_one_message_over_the_quota_bills_one_package(prices: Prices) -> None:
    month = bill(Usage(mau=0, realtime_messages=5_000_001), prices)
    assert line(month, "Realtime messages").billed_units == 1
    assert line(month, "Realtime messages").cost == pytest.approx(2.50)


# ---------------------------------------------------------------- Supabase's worked examples


def test_a_month_with_1_8_million_messages_costs_only_the_plan(prices: Prices) -> None:
    month = bill(Usage(mau=0, realtime_messages=1_800_000), prices)
    assert line(month, "Realtime messages").cost == 0
    assert month.total == pytest.approx(25)


def test_a_month_with_8_5_million_messages_bills_four_packages(prices: Prices) -> None:
    month = bill(Usage(mau=0, realtime_messages=8_500_000), prices)
    assert line(month, "Realtime messages").billed_units == 4
    assert line(month, "Realtime messages").cost == pytest.approx(10)
    assert month.total == pytest.approx(35)


def test_350_peak_connections_on_small_cost_the_plan_and_compute(prices: Prices) -> None:
    month = bill(Usage(mau=0, compute="small", compute_hours=730, realtime_peak_connections=350), prices)
    assert line(month, "Realtime peak connections").cost == 0
    assert month.total == pytest.approx(30, abs=WHOLE_DOLLARS)


def test_1_700_peak_connections_bill_two_packages_of_a_thousand(prices: Prices) -> None:
    month = bill(Usage(mau=0, compute="small", compute_hours=730, realtime_peak_connections=1_700), prices)
    assert line(month, "Realtime peak connections").billed_units == 2
    assert line(month, "Realtime peak connections").cost == pytest.approx(20)
    assert month.total == pytest.approx(50, abs=WHOLE_DOLLARS)


def test_egress_within_both_quotas_costs_nothing(prices: Prices) -> None:
    month = bill(
        Usage(mau=0, compute="small", compute_hours=730, egress_gb=200, cached_egress_gb=230), prices
    )
    assert month.total == pytest.approx(30, abs=WHOLE_DOLLARS)


def test_uncached_and_cached_egress_are_billed_against_separate_quotas(prices: Prices) -> None:
    month = bill(
        Usage(mau=0, compute="small", compute_hours=730, egress_gb=300, cached_egress_gb=800), prices
    )
    assert line(month, "Egress (uncached)").cost == pytest.approx(4.50)
    assert line(month, "Egress (cached, CDN hits)").cost == pytest.approx(16.50)
    assert month.total == pytest.approx(51, abs=WHOLE_DOLLARS)


def test_3_4_million_edge_invocations_bill_two_packages(prices: Prices) -> None:
    assert bill(Usage(mau=0, edge_invocations=1_800_000), prices).total == pytest.approx(25)
    month = bill(Usage(mau=0, edge_invocations=3_400_000), prices)
    assert line(month, "Edge Function invocations").billed_units == 2
    assert line(month, "Edge Function invocations").cost == pytest.approx(4)
    assert month.total == pytest.approx(29)


def test_850_transformed_origin_images_bill_one_package(prices: Prices) -> None:
    assert bill(Usage(mau=0, image_transformations=74), prices).total == pytest.approx(25)
    month = bill(Usage(mau=0, image_transformations=850), prices)
    assert line(month, "Image transformations").billed_units == 1
    assert line(month, "Image transformations").cost == pytest.approx(5)
    assert month.total == pytest.approx(30)


def test_160_000_monthly_active_users_bill_the_60_000_over_the_quota(prices: Prices) -> None:
    assert bill(Usage(mau=23_000), prices).total == pytest.approx(25)
    month = bill(Usage(mau=160_000), prices)
    assert line(month, "Monthly active users").cost == pytest.approx(195)
    assert month.total == pytest.approx(220)


def test_storage_beyond_100_gb_is_billed_pro_rata(prices: Prices) -> None:
    assert bill(Usage(mau=0, storage_gb=85), prices).total == pytest.approx(25)
    month = bill(Usage(mau=0, storage_gb=357), prices)
    assert line(month, "Storage size").cost == pytest.approx(5.397)
    assert month.total == pytest.approx(30.397)


def test_a_50_gb_disk_bills_the_42_gb_over_the_quota(prices: Prices) -> None:
    # The docs' three-project example bills the same 42 GB; its printed totals are off by $10.
    month = bill(Usage(mau=0, db_disk_gb=50), prices)
    assert line(month, "Database disk (gp3)").cost == pytest.approx(5.25)
    assert month.total == pytest.approx(30.25)


# ---------------------------------------------------------------- Expo, SMS and Cloudflare R2


def test_push_notifications_through_expo_cost_nothing(prices: Prices) -> None:
    month = bill(Usage(mau=0, push_notifications=5_000_000), prices)
    assert line(month, "Push notifications").cost == 0
    assert month.total == pytest.approx(25)


def test_each_code_requested_costs_the_resend_factor_in_texts(prices: Prices) -> None:
    month = bill(Usage(mau=0, sms_otps=10_000), prices)
    assert line(month, "One-time codes").billed_units == pytest.approx(12_000)
    assert line(month, "One-time codes").cost == pytest.approx(10_000 * 1.2 * 0.04)


def test_reading_ten_million_r2_objects_a_day_bills_290_million_class_b_operations(prices: Prices) -> None:
    month = bill(Usage(mau=0, r2_class_b=10_000_000 * 30), prices)
    assert line(month, "Class B operations (reads)").billed_units == 290
    assert line(month, "Class B operations (reads)").cost == pytest.approx(104.40)


def test_r2_usage_rounds_up_to_the_next_unit(prices: Prices) -> None:
    month = bill(Usage(mau=0, r2_storage_gb=11.1, r2_class_a=2_000_001), prices)
    assert line(month, "Storage").billed_units == 2
    assert line(month, "Storage").cost == pytest.approx(0.03)
    assert line(month, "Class A operations (writes, lists)").cost == pytest.approx(9.0)


# ---------------------------------------------------------------- the bill as a whole


def test_the_costliest_lines_come_first(prices: Prices) -> None:
    month = bill(Usage(mau=160_000, sms_otps=10_000, realtime_messages=8_500_000), prices)
    assert [each.item for each in month.top(3)] == ["One-time codes", "Monthly active users", "Pro plan"]


def test_negative_usage_is_refused() -> None:
    with pytest.raises(ValueError, match="egress_gb"):
        Usage(mau=0, egress_gb=-1)


def test_the_rendered_bill_shows_cents_a_total_and_the_breaches(prices: Prices) -> None:
    month = bill(Usage(mau=0, storage_gb=357), prices)
    console = Console(file=StringIO(), width=200, record=True)
    console.print(render(month, ["delivered messages 3,100/s exceed the 2,500/s project limit"]))
    text = console.export_text()
    assert "$5.40" in text
    assert "-$10.00" in text
    assert "Total" in text
    assert "$30.40" in text
    assert "3,100/s exceed" in text


# ---------------------------------------------------------------- limits


def test_3_100_messages_a_second_exceed_the_pro_project_limit(prices: Prices) -> None:
    found = breaches(
        Peaks(messages_per_second=3_100, concurrent_connections=100, channel_joins_per_second=10), prices
    )
    assert len(found) == 1
    assert found[0].startswith("delivered messages 3,100/s exceed the 2,500/s project limit")


def test_12_000_concurrent_connections_exceed_the_pro_project_limit(prices: Prices) -> None:
    found = breaches(
        Peaks(messages_per_second=10, concurrent_connections=12_000, channel_joins_per_second=10), prices
    )
    assert len(found) == 1
    assert found[0].startswith("concurrent connections 12,000 exceed the 10,000 project limit")


def test_peaks_within_the_limits_breach_nothing(prices: Prices) -> None:
    peaks = Peaks(messages_per_second=2_500, concurrent_connections=10_000, channel_joins_per_second=2_500)
    assert breaches(peaks, prices) == []


def test_the_spend_cap_lowers_every_realtime_limit_to_500(prices: Prices) -> None:
    peaks = Peaks(messages_per_second=600, concurrent_connections=600, channel_joins_per_second=600)
    found = breaches(peaks, prices, spend_cap=True)
    assert [sentence.split(" 600")[0] for sentence in found] == [
        "delivered messages",
        "concurrent connections",
        "channel joins",
    ]
    assert all("the 500" in sentence and "with spend cap" in sentence for sentence in found)


def test_pushes_beyond_600_a_second_exceed_expos_limit(prices: Prices) -> None:
    peaks = Peaks(0, 0, 0, push_notifications_per_second=700)
    assert breaches(peaks, prices) == [
        "push notifications 700/s exceed the 600/s project limit (Expo; requests above it fail)"
    ]
