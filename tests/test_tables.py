"""Tables stage: density computed beside the reported figure, and the figures no population reproduces flagged."""

import string
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

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


# --- the build's path: rows made in the workers (loaders.rows), files joined in the parent ----------------

ALPHA_QUOTE = "全市共有社会组织1,205家,其中\"社区社会组织\"300个。"
BETA_QUOTE = "投入资金10至20万元。"


def make_record(record_id, slug, name_zh, facts, measures=()):
    from loaders.schema import Record

    return Record.model_validate({
        "id": record_id,
        "jurisdiction": {"slug": slug, "name_zh": name_zh, "name_en": slug.title(), "level": "prefecture"},
        "document": {"type": "npc_suggestion_reply", "date_written": "2023-06-01"},
        "origin": {"title": f"{name_zh}民政局答复", "issuer": f"{name_zh}民政局", "source_file": f"data/raw/{record_id}.txt",
                   "collected_from": "test", "sha256": "ab" * 32},
        "facts": list(facts), "measures": list(measures),
    })


def two_records():
    alpha = make_record("alpha-2023", "alpha", "甲市", [
        {"id": "c8", "indicator": "social_orgs_total", "value": 1205, "unit": "count", "number_text": "1,205家",
         "quote": ALPHA_QUOTE, "quote_start": 0, "quote_end": len(ALPHA_QUOTE)},
    ], [{"id": "party_building@0", "category": "party_building", "instrument_type": "environment", "status": "done",
         "matched": "党建", "quote": "加强党建。", "quote_start": 40, "quote_end": 45}])
    beta = make_record("beta-2022", "beta", "乙市", [
        {"id": "c4", "indicator": "funding", "value": 100000, "value_max": 200000.0, "unit": "yuan",
         "qualifier": "range", "number_text": "10至20万元", "quote": BETA_QUOTE, "quote_start": 0,
         "quote_end": len(BETA_QUOTE)},
    ])
    return alpha, beta


def reference_tables():
    population = pd.DataFrame(columns=["jurisdiction", "jurisdiction_zh", "kind", "date", "population_persons",
                                       "is_derived", "source"])
    return population, pd.DataFrame({"indicator": ["social_orgs_total"], "value": [900000]})


def test_a_two_record_build_gives_exactly_these_facts_and_documents_lines():
    from loaders.rows import make_record_rows
    from loaders.tables import build_table_files

    alpha, beta = two_records()
    files = build_table_files([make_record_rows(beta), make_record_rows(alpha)], *reference_tables(), tokens={})
    assert files["facts"].decode("utf-8").splitlines()[1:] == [
        'alpha-2023,alpha,甲市,prefecture,c8,social_orgs_total,,1205.0,,count,exact,achievement,unspecified,,,,'
        'whole,,,"1,205家","全市共有社会组织1,205家,其中""社区社会组织""300个。",0,30,,extracted,,high,,,False',
        "beta-2022,beta,乙市,prefecture,c4,funding,,100000.0,200000.0,yuan,range,achievement,unspecified,,,,"
        "whole,,,10至20万元,投入资金10至20万元。,0,12,,extracted,,high,,,False",
    ]
    assert files["measures"].decode("utf-8").splitlines()[1:] == [
        "alpha-2023,alpha,甲市,prefecture,party_building@0,party_building,environment,done,党建,加强党建。,40,45,,extracted,",
    ]
    assert [line.split(",")[0] for line in files["documents"].decode("utf-8").splitlines()] == [
        "record_id", "alpha-2023", "beta-2022"]
    assert files["documents"].decode("utf-8").splitlines()[1].endswith(",test," + "ab" * 32 + ",1,1,,")


def test_the_build_path_writes_the_bytes_of_the_dataframe_path():
    # Byte for byte what table_to_csv(build_tables(records)) writes: a float column with blanks (value_max),
    # ints, quoting, a record without facts, and the distinctive terms from term counts instead of token lists.
    from loaders.rows import TermCounts, make_record_rows
    from loaders.tables import build_table_files, build_tables, table_to_csv

    alpha, beta = two_records()
    empty = make_record("gamma-2021", "gamma", "丙市", [])
    tokens = {"alpha-2023": ["社会组织", "社区", "社会组织"], "beta-2022": ["资金", "社区"], "gamma-2021": []}
    counts = TermCounts()
    for rid, toks in tokens.items():
        counts.add_tokens(rid, toks)
    population, national = reference_tables()
    records = [beta, empty, alpha]
    expected = {name: table_to_csv(df).encode("utf-8")
                for name, df in build_tables(records, population, national, tokens).items()}
    got = build_table_files([make_record_rows(r) for r in records], population, national, counts)
    assert got == expected
    assert got["distinctive_terms"].decode("utf-8").splitlines() == [
        "record_id,jurisdiction,rank,term,score",
        "alpha-2023,alpha,1,社会组织,0.73241",
        "alpha-2023,alpha,2,社区,0.13516",
        "beta-2022,beta,1,资金,0.54931",
        "beta-2022,beta,2,社区,0.20273",
    ]


def test_the_real_records_give_the_committed_tables_through_rows():
    from loaders.__main__ import build_outputs
    from loaders.records import load_record
    from loaders.rows import make_record_rows

    records = [load_record(p) for p in sorted((DATA / "records").glob("*.yaml"))]
    # Four as rows (built this run), one as a Record (carried over from an earlier build): all are in.
    files = build_outputs([make_record_rows(r) for r in records[1:]] + records[:1], DATA / "reference")
    for name, data in files.items():
        assert data == (DATA / "tables" / f"{name}.csv").read_bytes(), name


# --- the distinctive terms on arrays (a save remakes them at 10,000 replies) ----------------------------------

_TERMS = st.text(alphabet=string.ascii_lowercase[:6] + "社会组织,\"\n", min_size=1, max_size=3)


@given(st.dictionaries(st.text(alphabet="abcdef", min_size=1, max_size=4),
                       st.dictionaries(_TERMS, st.integers(1, 40), max_size=25), max_size=12),
       st.integers(1, 20))
def test_the_tf_idf_on_arrays_is_the_python_one_result_for_result(replies, top_n):
    from loaders.measures import score_distinctive_terms
    from loaders.rows import TermCounts, score_term_counts

    counts = TermCounts()
    for rid, terms in replies.items():
        counts.add(rid, terms.keys(), terms.values())
    assert score_term_counts(counts, list(counts), top_n) == score_distinctive_terms(counts, top_n)


def test_the_tf_idf_on_arrays_is_the_python_one_for_many_replies():
    """Hundreds of replies over a few hundred terms: many equal scores, and ties broken by the term."""
    import random

    from loaders.measures import score_distinctive_terms
    from loaders.rows import TermCounts, score_term_counts

    rng = random.Random(7)
    words = [f"词{i}" for i in range(400)]
    counts = TermCounts()
    for i in range(600):
        terms = rng.sample(words, rng.randint(0, 120))
        counts.add(f"r{i:04d}", terms, [rng.choice((1, 1, 2, 3, 50)) for _ in terms])
    keys = [k for k in counts if k != "r0001"]
    assert score_term_counts(counts, keys) == score_distinctive_terms({k: counts[k] for k in keys})


@given(st.lists(st.tuples(st.text(min_size=1, max_size=6), st.text(max_size=6), st.integers(1, 15),
                          st.text(min_size=1, max_size=6),
                          st.floats(min_value=1e-5, max_value=12, allow_nan=False).map(lambda x: round(x, 5))),
                max_size=20))
def test_the_distinctive_terms_file_is_what_pandas_writes(rows):
    from loaders import tables as tables_module

    rows = sorted(rows)
    real = tables_module.distinctive_terms_rows
    try:
        tables_module.distinctive_terms_rows = lambda records, tokens: rows
        written = tables_module.distinctive_terms_csv([], {})
    finally:
        tables_module.distinctive_terms_rows = real
    frame = pd.DataFrame(rows, columns=tables_module.DISTINCTIVE_COLUMNS)
    assert written == tables_module.table_to_csv(frame).encode("utf-8")


def test_a_reported_density_reproduces_at_the_decimals_it_is_written_with():
    from loaders.tables import reproduce_tolerance

    assert [round(reproduce_tolerance(t), 6) for t in ("14.95家", "8.3家", "14个", "5.08个/万人")] == [
        0.006, 0.05, 0.5, 0.006]


def test_every_place_gets_its_census_row_unless_population_csv_has_one():
    from loaders.tables import load_census, load_population, population_for

    reference = Path(__file__).resolve().parent.parent / "data" / "reference"
    curated, census = load_population(reference / "population.csv"), load_census(reference)
    assert len(census) == 3196 and census["jurisdiction"].is_unique
    assert census.loc[census["jurisdiction"] == "nan", "jurisdiction_zh"].tolist() == ["南县"]  # a slug, not NaN
    rows = population_for(curated, census, {"quzhou", "luoyang", "qiyang", "linping"})
    added = rows.iloc[len(curated):]
    assert added[["jurisdiction", "population_persons"]].values.tolist() == [["luoyang", 7056699], ["qiyang", 791939]]
    assert "祁阳县 (431121)" in added["source"].iloc[1]  # re-coded in 2021: its 2020 row


def test_a_reply_from_any_place_of_the_gazetteer_gets_a_computed_density_with_nothing_typed():
    """Issue 22: places drawn at random from the gazetteer (a fixed seed), each with a reply stating a total."""
    import random

    from loaders.places import load_places
    from loaders.tables import build_density_table, load_census, load_population, population_for

    reference = Path(__file__).resolve().parent.parent / "data" / "reference"
    curated, census = load_population(reference / "population.csv"), load_census(reference)
    places = [p for p in load_places() if p.level in ("prefecture", "county")]
    without = {p.slug for p in places} - set(census["jurisdiction"])
    assert len(without) == 12  # the divisions drawn after 2020 with no clear predecessor (the file's header lists them)
    for place in random.Random(2026).sample(places, 60) + [next(p for p in places if p.slug in without)]:
        record = make_record(f"{place.slug}-2023", place.slug, place.name_zh, [
            {"id": "c1", "indicator": "social_orgs_total", "value": 1000, "unit": "count", "number_text": "1000家",
             "quote": "全市共有社会组织1000家。", "quote_start": 0, "quote_end": 13, "period_kind": "as_of",
             "period_end": "2022-12-31"}])
        density = build_density_table([record], population_for(curated, census, {place.slug}))
        if place.slug in without:
            assert density.empty, place.slug
            continue
        row = density[density["base"] == "census"].iloc[0]
        pop = census.loc[census["jurisdiction"] == place.slug, "population_persons"].iloc[0]
        assert (row["population_persons"], row["computed_per_10k"]) == (pop, round(1000 / pop * 1e4, 2)), place.slug
