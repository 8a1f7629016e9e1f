"""The stress suite's HTTP helpers and its figures."""

import math
from urllib.parse import parse_qsl

import pytest

from stress.client import AddressPool, Visitor, path_segment, query
from stress.report import Figure, PhaseResult, percentile, summary_table


def test_it_sends_traffic_only_to_127_0_0_1():
    Visitor("http://127.0.0.1:8000").close()
    for url in ("http://localhost:8000", "http://10.0.0.1/", "http://example.com/"):
        with pytest.raises(ValueError):
            Visitor(url)


def test_each_simulated_visitor_gets_its_own_loopback_address():
    pool = AddressPool(10)
    addresses = [pool.take() for _ in range(600)]
    assert len(set(addresses)) == 600
    assert all(a.startswith("127.10.") and not a.endswith(".0") and not a.endswith(".255")
               for a in addresses)
    with pytest.raises(ValueError):
        AddressPool(0)  # 127.0.x.x is the server's own


def test_query_strings_carry_any_string_including_lone_surrogates():
    encoded = query({"q": "a&b=c", "veins": ["x", "y"], "s": "\ud800"})
    assert parse_qsl(encoded.replace("%ED%A0%80", "SURROGATE")) == [
        ("q", "a&b=c"), ("veins", "x"), ("veins", "y"), ("s", "SURROGATE")]
    assert path_segment("a/b?c") == "a%2Fb%3Fc"


def test_percentiles_are_measured_values_by_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([3.0], 0.99) == 3.0
    assert math.isnan(percentile([], 0.5))


def test_a_figure_fails_only_against_its_rule():
    assert Figure("5xx", 0, "0").failed is False
    assert Figure("5xx", 1, "0").failed is True
    assert Figure("429s", 0, "> 0").failed is True
    assert Figure("429s", 12, "> 0").failed is False
    assert Figure("integrity", "ok (12 indexes)", "ok").failed is False
    assert Figure("integrity", "3 failed", "ok").failed is True
    assert Figure("throughput", 0, "").failed is False


def test_a_phase_fails_on_any_failed_figure_or_an_error_and_the_table_says_which():
    good = PhaseResult("load", "sqlite", figures=[Figure("5xx responses", 0, "0")])
    bad = PhaseResult("faults", "postgresql", figures=[Figure("lost submissions", 2, "0")])
    broken = PhaseResult("badinput", "sqlite", error="RuntimeError: no server")
    assert not good.failed and bad.failed and broken.failed
    table = summary_table([good, bad, broken])
    failing = [line for line in table.splitlines() if line.endswith("FAIL")]
    assert len(failing) == 2
    assert "lost submissions" in failing[0] and "did not finish" in failing[1]


def test_results_survive_the_trip_through_json_from_the_postgresql_run():
    result = PhaseResult("faults", "postgresql", seconds=3.5, examples=["x"],
                         figures=[Figure("lost submissions", 1, "0")])
    again = PhaseResult.from_dict(result.to_dict())
    assert again == result and again.failed
