"""Edits a test makes to a seed reply's curation file, as a curator would make them by hand."""


def reject_fact(curation: str, fact_id: str, reason: str) -> str:
    """The curation text with fact_id moved from accept_facts (where a reviewed reply lists it) to reject_facts."""
    accepted = f"  {fact_id}: ''\n"
    assert accepted in curation, f"{fact_id} is not accepted in this curation file"
    curation = curation.replace(accepted, "", 1)
    return curation.replace("reject_facts:\n", f"reject_facts:\n  {fact_id}: {reason}\n", 1)
