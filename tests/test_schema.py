"""One schema for everything: every record validates, every table header is the schema's column list."""

from pathlib import Path

import pandas as pd
import pytest

from loaders.records import load_curation, load_record
from loaders.schema import DENSITY_COLUMNS, DOCUMENT_COLUMNS, FACT_COLUMNS, MEASURE_COLUMNS, POPULATION_COLUMNS
from loaders.facts import load_indicators
from loaders.tables import DISTINCTIVE_COLUMNS

DATA = Path(__file__).resolve().parent.parent / "data"
TABLE_COLUMNS = {"documents": DOCUMENT_COLUMNS, "facts": FACT_COLUMNS, "measures": MEASURE_COLUMNS,
                 "population": POPULATION_COLUMNS, "density": DENSITY_COLUMNS,
                 "distinctive_terms": DISTINCTIVE_COLUMNS}


@pytest.mark.parametrize("path", sorted((DATA / "records").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_record_validates(path):
    record = load_record(path)
    assert record.id == path.stem
    codes = set(load_indicators()["indicators"])
    assert {f.indicator for f in record.facts} <= codes


@pytest.mark.parametrize("path", sorted((DATA / "curation").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_curation_validates(path):
    assert load_curation(path).record_id == path.stem


@pytest.mark.parametrize("name", sorted(TABLE_COLUMNS))
def test_every_table_header_is_the_schema(name):
    header = pd.read_csv(DATA / "tables" / f"{name}.csv", nrows=0).columns.tolist()
    assert header == TABLE_COLUMNS[name]


def test_every_indicator_is_documented():
    for code, spec in load_indicators()["indicators"].items():
        assert spec["label_zh"] and spec["label_en"] and spec["definition"] and spec["unit"], code


def test_a_date_typed_with_full_width_or_arabic_indic_digits_is_stored_in_ascii():
    """A curator's date in full-width (２０２３) or Arabic-Indic (٢٠٢٣) digits once named a record luoyang-２０２３."""
    from loaders.metadata import make_record_id
    from loaders.schema import Curation, Document, Jurisdiction

    curation = Curation.model_validate({"record_id": "x", "document": {"date_written": "２０２３-０６-３０",
                                                                       "date_published": "٢٠٢٣-٠٧-٠١"}})
    assert curation.document == {"date_written": "2023-06-30", "date_published": "2023-07-01"}
    place = Jurisdiction(slug="luoyang", name_zh="洛阳市", name_en="Luoyang", level="prefecture")
    assert make_record_id(place, Document(type="other", **curation.document)) == "luoyang-2023"
