"""The record schema, declared once: YAML validation, CSV columns and the schema docs all come from here."""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

Level = Literal["province", "prefecture", "county", "unknown"]
DocumentType = Literal["npc_suggestion_reply", "cppcc_proposal_reply", "news_item", "work_report", "notice", "other"]
Qualifier = Literal["exact", "more_than", "nearly", "approx", "at_least", "at_most", "range"]
Status = Literal["achievement", "target"]
PeriodKind = Literal["as_of", "since", "recent_years", "year", "plan_period", "unspecified"]
ScopeKind = Literal["whole", "level_only", "sub_area"]
Channel = Literal[
    "lottery_welfare_fund", "government_purchase", "venture_philanthropy", "party_building", "other", ""
]
MeasureStatus = Literal["done", "planned"]
Origin_ = Literal["extracted", "corrected", "added"]
Confidence = Literal["high", "low"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Jurisdiction(Strict):
    slug: str = Field(description="English slug, e.g. quzhou")
    name_zh: str = Field(description="Chinese name, e.g. 衢州市")
    name_en: str = Field(description="English name, e.g. Quzhou")
    level: Level
    province_zh: str = ""
    province_en: str = ""
    prefecture_zh: str = Field("", description="Parent prefecture of a county-level place, e.g. 宣城市 for 广德市")
    prefecture_en: str = ""


class Document(Strict):
    type: DocumentType
    issuer: str = Field("", description="Issuing body, e.g. 衢州市民政局")
    addressee: str = Field("", description="Deputy, member or group the reply answers")
    proposal_title: str = ""
    proposal_number: str = Field("", description="Suggestion/proposal number, e.g. 第015号")
    reference_number: str = Field("", description="Document reference, e.g. 衢市民议函〔2023〕2号")
    session: str = Field("", description="Congress session, e.g. 市八届人大三次会议")
    date_written: str = Field("", description="ISO date the reply was signed")
    date_published: str = Field("", description="ISO date the web page was published")
    index_number: str = Field("", description="Government information index number (索引号)")
    source: str = Field("", description="Where the page says it comes from (信息来源, 来源: a newspaper is a source, "
                                        "not the issuer)")


class FieldSource(Strict):
    """Where one metadata field of a record was found, so a curator and the Sources page can see why."""

    field: str = Field(description="The field, e.g. jurisdiction, level, date_written")
    value: str = Field("", description="The value it gave")
    signal: str = Field(description="What gave it: issuer, title, addressee, source_line, doc_number, congress, "
                                    "body, sub_areas, label, signature, timestamp, salutation, gazetteer, curation")
    evidence: str = Field("", description="The words in the raw text")
    start: int = Field(-1, description="Raw offset of the evidence (-1: not from the text)")
    end: int = -1
    note: str = Field("", description="The reason in words, e.g. 'province from 文号 浙民提'")


class Origin(Strict):
    title: str
    issuer: str
    reference: str = ""
    date_published: str = ""
    source_file: str = Field(description="Path of the raw file inside the project, e.g. data/raw/quzhou-2023.txt")
    collected_from: str = Field(description="Where the raw file came from")
    sha256: str


class Fact(Strict):
    id: str = Field(description="Stable key: 'c' + character offset of the number in the raw text")
    indicator: str = Field(description="Code from data/reference/indicators.yaml")
    label: str = Field("", description="The noun phrase the reply attaches the number to")
    value: float = Field(description="Value in base units (万 and 亿 expanded)")
    value_max: Optional[float] = Field(None, description="Upper end where qualifier is range")
    unit: str
    qualifier: Qualifier = "exact"
    status: Status = "achievement"
    period_kind: PeriodKind = "unspecified"
    period_start: str = Field("", description="ISO date or year where the period starts")
    period_end: str = Field("", description="ISO date or year of the as-of date or period end")
    period_text: str = Field("", description="The words that set the period, e.g. 截至2023年5月底")
    scope_kind: ScopeKind = "whole"
    scope_area: str = Field("", description="Sub-area name or level (市本级) when scope is not whole")
    channel: Channel = ""
    number_text: str = Field(description="The number exactly as written in the raw text")
    quote: str = Field(description="The sentence, an exact substring of the raw text")
    quote_start: int
    quote_end: int
    quote_clean: str = Field("", description="The same sentence after cleaning")
    source: Origin_ = "extracted"
    note: str = ""
    confidence: Confidence = Field("high", description="How sure the extractor is of what the number counts; a low "
                                   "one is held back from cards, charts and slides until a person accepts it")
    hold_reason: str = Field("", description="Why the extractor is unsure, a code of data/reference/frames.yaml "
                                            "(reasons), shown in words in the workbench")
    hold_words: str = Field("", description="The words of the sentence behind hold_reason")
    is_reviewed: bool = Field(False, description="A person vouched for it: accepted, corrected or added in curation; "
                                                 "False: an unreviewed draft")


class Measure(Strict):
    id: str = Field(description="Stable key: category + character offset of the sentence in the raw text")
    category: str = Field(description="Code from data/reference/measure_codebook.yaml")
    instrument_type: Literal["supply", "demand", "environment"]
    status: MeasureStatus
    matched: str = Field(description="The rule term that matched")
    quote: str
    quote_start: int
    quote_end: int
    quote_clean: str = ""
    source: Origin_ = "extracted"
    note: str = ""


class RepairSummary(Strict):
    kind: str
    count: int
    reason: str
    examples: list[str] = []


class Record(Strict):
    id: str
    jurisdiction: Jurisdiction
    document: Document
    origin: Origin
    facts: list[Fact] = []
    measures: list[Measure] = []
    repairs: list[RepairSummary] = []
    reviewer_notes: list[str] = []
    provenance: list[FieldSource] = []
    reviewed_by: str = Field("", description="Who reviewed the reply (curation review.by); '': nobody has")
    reviewed_on: str = Field("", description="When, as an ISO date (curation review.date)")


class Draft(Strict):
    """What `extract` prints: the uncurated record of one reply."""

    jurisdiction: Jurisdiction
    document: Document
    facts: list[Fact] = []
    measures: list[Measure] = []
    provenance: list[FieldSource] = []


# --- curation overlay (human-edited, never rewritten by the tool) ---
# Every mistake a curator can make is refused here with the field's name: an unknown field (with the nearest
# valid one), a date that is no date, a value that is NaN, infinite or negative, an added fact without its
# sentence or without a number.

_ISO_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _ascii_digits(text: str) -> str:
    """Full-width (２０２３) and Arabic-Indic (٢٠٢٣) digits as ASCII: a date is stored, and names a record, in ASCII."""
    return "".join(str(d) if (d := unicodedata.decimal(ch, None)) is not None else ch for ch in text)
_NUMERAL = re.compile(r"[0-9０-９〇零一二两三四五六七八九十百千万亿]")


def _suggest(name: object, valid: list[str]) -> str:
    close = difflib.get_close_matches(str(name), valid, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f"; valid fields: {', '.join(valid)}"


def _refuse_unknown(data: object, valid: list[str]) -> None:
    if isinstance(data, dict):
        for key in data:
            if key not in valid:
                raise ValueError(f"unknown field {key!r}{_suggest(key, valid)}")


def _check_date_text(value: object) -> object:
    """'', YYYY, YYYY-MM or YYYY-MM-DD, and a real day of the calendar; a year written unquoted is its text."""
    if isinstance(value, (date, datetime)):
        value = value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)")
    if value == "":
        return value
    value = _ascii_digits(value)
    m = _ISO_DATE.fullmatch(value)
    try:
        if m is None:
            raise ValueError
        year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2023-05-31)") from None
    if not 1949 <= year <= 2100:
        raise ValueError(f"{value!r}: year {year} is outside 1949-2100")
    return value


CurationDate = Annotated[str, BeforeValidator(_check_date_text)]
DATE_FIELDS = ("date_written", "date_published", "period_start", "period_end")


class CurationPart(Strict):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _refuse_unknown_fields(cls, data):
        _refuse_unknown(data, list(cls.model_fields))
        return data


def _check_value(value: float | None, unit: str | None, name: str) -> None:
    # A percentage can fall (增长-3%); a count, an amount or a head count never goes below zero.
    if value is not None and value < 0 and unit != "percent":
        raise ValueError(f"{name} {value:g} is negative; a count or an amount is never below zero")


class FactCorrection(CurationPart):
    indicator: Optional[str] = None
    label: Optional[str] = None
    value: Optional[float] = None
    value_max: Optional[float] = None
    unit: Optional[str] = None
    qualifier: Optional[Qualifier] = None
    status: Optional[Status] = None
    period_kind: Optional[PeriodKind] = None
    period_start: Optional[CurationDate] = None
    period_end: Optional[CurationDate] = None
    period_text: Optional[str] = None
    scope_kind: Optional[ScopeKind] = None
    scope_area: Optional[str] = None
    channel: Optional[Channel] = None
    note: str = Field(description="Why the correction was needed")

    @model_validator(mode="after")
    def _check_values(self):
        _check_value(self.value, self.unit, "value")
        _check_value(self.value_max, self.unit, "value_max")
        return self


class AddedFact(CurationPart):
    indicator: str
    label: str = ""
    value: float
    value_max: Optional[float] = None
    unit: str
    qualifier: Qualifier = "exact"
    status: Status = "achievement"
    period_kind: PeriodKind = "unspecified"
    period_start: CurationDate = ""
    period_end: CurationDate = ""
    period_text: str = ""
    scope_kind: ScopeKind = "whole"
    scope_area: str = ""
    channel: Channel = ""
    number_text: str = Field(description="The number as written; must occur inside quote")
    quote: str = Field(description="Exact substring of the raw text")
    note: str

    @model_validator(mode="after")
    def _check_sentence_and_number(self):
        if not self.quote.strip():
            raise ValueError("quote is empty; every added number needs its sentence, copied from the raw reply")
        if not _NUMERAL.search(self.number_text):
            raise ValueError(f"number_text {self.number_text!r} is not a number as written in the reply "
                             "(e.g. 200家, 1.5万元, 一千八百三十一个)")
        _check_value(self.value, self.unit, "value")
        _check_value(self.value_max, self.unit, "value_max")
        return self


class AddedMeasure(CurationPart):
    category: str
    status: MeasureStatus
    quote: str = Field(description="Exact substring of the raw text")
    note: str

    @model_validator(mode="after")
    def _check_sentence(self):
        if not self.quote.strip():
            raise ValueError("quote is empty; every added measure needs its sentence, copied from the raw reply")
        return self


def _check_override(data: object, model: type[BaseModel]) -> object:
    """A document:/jurisdiction: override names fields of the record's model; dates are dates."""
    valid = list(model.model_fields)
    _refuse_unknown(data, valid)
    if isinstance(data, dict):
        data = dict(data)
        for key in DATE_FIELDS:
            if key in data:
                data[key] = _check_date_text(data[key])
    return data


class ReviewMark(CurationPart):
    """Who reviewed a reply and when; the facts they vouched for are listed in accept_facts, correct_facts and
    add_facts (a whole reply reviewed: every fact of its draft is in one of them or in reject_facts)."""

    by: str = Field(description="The reviewer's name")
    date: CurationDate = Field(description="When, YYYY-MM-DD")

    @field_validator("by")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("by is empty; name the person who reviewed the reply")
        return value


class Curation(CurationPart):
    record_id: str
    review: Optional[ReviewMark] = None
    jurisdiction: Optional[dict[str, str]] = None
    document: Optional[dict[str, str]] = None
    metadata_note: str = ""
    reject_facts: dict[str, str] = Field(default_factory=dict, description="fact id -> reason")
    accept_facts: dict[str, str] = Field(default_factory=dict, description="fact id -> note ('' for none): "
                                         "vouched for as the extractor drafted it")
    correct_facts: dict[str, FactCorrection] = Field(default_factory=dict)
    add_facts: list[AddedFact] = []
    reject_measures: dict[str, str] = Field(default_factory=dict)
    add_measures: list[AddedMeasure] = []
    reviewer_notes: list[str] = []

    @field_validator("jurisdiction", mode="before")
    @classmethod
    def _check_jurisdiction(cls, data):
        return _check_override(data, Jurisdiction)

    @field_validator("document", mode="before")
    @classmethod
    def _check_document(cls, data):
        return _check_override(data, Document)

    @model_validator(mode="after")
    def _refuse_contradictions(self):
        decisions = {"rejected (reject_facts)": self.reject_facts, "corrected (correct_facts)": self.correct_facts,
                     "accepted (accept_facts)": self.accept_facts}
        names = list(decisions)
        for i, first in enumerate(names):
            for second in names[i + 1:]:
                both = sorted(set(decisions[first]) & set(decisions[second]))
                if both:
                    raise ValueError(f"fact {both[0]} is both {first} and {second}; keep one")
        return self


# --- tables: column lists come from the models ---

FACT_TABLE_EXTRA = ["record_id", "jurisdiction", "jurisdiction_zh", "level"]
FACT_COLUMNS = FACT_TABLE_EXTRA + list(Fact.model_fields)
MEASURE_COLUMNS = FACT_TABLE_EXTRA + list(Measure.model_fields)
DOCUMENT_COLUMNS = (
    ["record_id"]
    + [f"jurisdiction_{k}" if k != "slug" else "jurisdiction" for k in Jurisdiction.model_fields]
    + [f"document_{k}" for k in Document.model_fields]
    + ["title", "source_file", "collected_from", "sha256", "fact_count", "measure_count", "reviewed_by", "reviewed_on"]
)


# More people than any country has: a population above it is a typing slip (2^53-1, an extra digit), never a place.
MAX_POPULATION = 2_000_000_000
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PopulationRow(Strict):
    """One row of reference/population.csv. Every row is checked when the file is read (loaders.tables.load_population):
    the density table compares its dates and divides by its persons, so a row that is no date or no head count would
    stop every build."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    jurisdiction: str
    jurisdiction_zh: str
    kind: Literal["census", "year_end_resident", "household_registered"]
    date: str
    population_persons: float
    is_derived: bool = False
    source: str

    @field_validator("jurisdiction", "source")
    @classmethod
    def _not_blank(cls, value: str, info) -> str:
        if not value.strip():
            raise ValueError("is empty" + ("; say where the figure was published" if info.field_name == "source" else ""))
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _a_day(cls, value: object) -> str:
        text = value if isinstance(value, str) else "" if value is None else str(value)
        if not text.strip():
            raise ValueError("is empty (write YYYY-MM-DD, e.g. 2020-11-01)")
        try:
            if not _FULL_DATE.fullmatch(text):
                raise ValueError
            date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date (write YYYY-MM-DD, e.g. 2020-11-01)") from None
        return _check_date_text(text)

    @field_validator("population_persons")
    @classmethod
    def _a_head_count(cls, value: float) -> float:
        if value <= 0:
            raise ValueError(f"{value:g} persons: a population is above zero")
        if value > MAX_POPULATION:
            raise ValueError(f"{value:.0f} persons is more than any country has (at most {MAX_POPULATION:,})")
        if value != int(value):
            raise ValueError(f"{value:g} persons is not a whole number")
        return value


class DensityRow(Strict):
    record_id: str
    jurisdiction: str
    indicator: str
    fact_id: str
    count: float
    count_qualifier: Qualifier
    as_of: str
    reported_per_10k: Optional[float]
    reported_fact_id: str
    base: Literal["census", "nearest"]
    population_persons: float
    population_date: str
    population_source: str
    computed_per_10k: float
    is_reproducible: Optional[bool]
    flag_note: str


POPULATION_COLUMNS = list(PopulationRow.model_fields)
DENSITY_COLUMNS = list(DensityRow.model_fields)
