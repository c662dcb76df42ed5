"""Tables stage: density computed beside the reported figure, and the figures no population reproduces flagged."""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "data"


def density():
    return pd.read_csv(DATA / "tables" / "density.csv", dtype={"population_date": str})


def row(jurisdiction, base, indicator="social_orgs_total"):
    d = density()
    hit = d[(d.jurisdiction == jurisdiction) & (d.base == base) & (d.indicator == indicator)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_quzhou_reported_density_reproduces_on_the_2022_year_end_population():
    r = row("quzhou", "nearest")
    assert (r.reported_per_10k, r.computed_per_10k, r.population_date, bool(r.is_reproducible)) == (
        14.95, 14.95, "2022-12-31", True)
    assert row("quzhou", "census").computed_per_10k == 15.04


def test_leshan_reported_density_is_flagged():
    r = row("leshan", "census")
    assert (r.reported_per_10k, r.computed_per_10k, bool(r.is_reproducible)) == (5.08, 5.79, False)
    assert "implies 360.4万 residents" in r.flag_note


def test_jiangsu_density_is_computed_although_not_reported():
    r = row("jiangsu", "census")
    assert (r.computed_per_10k, pd.isna(r.reported_per_10k), pd.isna(r.is_reproducible)) == (11.54, True, True)


def test_replies_without_a_total_have_no_density_row():
    assert set(density().jurisdiction) == {"jiangsu", "leshan", "quzhou"}


def test_community_density_uses_the_total_not_the_breakdown():
    r = row("leshan", "census", "community_social_orgs")
    assert (r["count"], r.computed_per_10k) == (5611, 17.76)


def test_facts_table_has_slug_units_and_quotes():
    facts = pd.read_csv(DATA / "tables" / "facts.csv")
    q = facts[(facts.jurisdiction == "quzhou") & (facts.indicator == "social_orgs_total")].iloc[0]
    assert (q.record_id, q.value, q.unit, q.qualifier, q.scope_kind) == ("quzhou-2023", 3424, "count", "exact", "whole")
    assert "3424家" in q.quote
