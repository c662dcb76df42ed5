"""The review workbench's one page: add a reply or open a stored one, vouch for its numbers, save its curation file.

Body of the workbench (curate.py routes to review_page)."""

from datetime import date

import streamlit as st

from app import workbench as wb
from app.i18n import t
from app.reasons import describe_reason
from app.safe import escape_text
from loaders import curate
from loaders.errors import LoaderError


def review_page() -> None:
    """The whole workbench on one page."""
    lang = wb.language_switch(wb.current_lang())
    st.title(t("wb_title", lang))
    st.caption(t("wb_intro", lang))
    folder = curate.data_dir()
    try:
        curate.check_data_folder(folder)  # a misconfigured folder is one line, before any reply is read
    except LoaderError as exc:
        wb.show_error(exc)
        return
    flash = st.session_state.pop(wb.FLASH, None)
    if flash:
        st.success(escape_text(flash))
    info = st.session_state.pop(wb.FLASH_INFO, None)
    if info:
        st.info(escape_text(info))

    goto = st.session_state.pop("wb_goto", None)
    if goto:  # after a save: open the reply just stored (a widget's value can only be set before it is drawn)
        st.session_state["wb_source"], st.session_state["wb_record"] = "existing", goto
    source = st.radio(t("wb_source", lang), ["new", "existing"], horizontal=True, key="wb_source",
                      format_func=lambda s: t(f"wb_source_{s}", lang))
    if source == "new":
        st.session_state.pop(wb.SHOWN, None)
        reply = wb.new_reply(lang)
    else:
        # Listed again only when a reply is added or removed (the folder's time changes): at 10,000 replies the
        # listing was a third of a rerun.
        ids = wb.memo("record_ids", (str(folder), wb.file_version(folder / "raw")), lambda: curate.list_records(folder))
        if not ids:
            st.info(t("wb_no_records", lang))
            return
        rid = st.selectbox(t("wb_record", lang), ids, key="wb_record")
        shown = st.session_state.get(wb.SHOWN)
        st.session_state[wb.SHOWN] = rid
        if shown is not None and shown != rid and shown not in ids:
            # The reply on screen was removed from data/raw, and the list fell back to another one: a click on this
            # run (Save) was meant for the one that is gone, so nothing of this run acts.
            st.error(escape_text(t("wb_record_gone", lang, rid=shown)))
            return
        try:
            # Read again when the file changes; a refused file raises every time (memo keeps only what was made).
            reply = wb.memo("reply", (rid, wb.file_version(folder / "raw" / f"{rid}.txt")),
                            lambda: curate.read_existing(folder, rid))
        except LoaderError as exc:
            wb.show_error(exc)
            return
    if reply is None:
        return

    try:
        review = wb.open_review(reply, folder)
    except LoaderError as exc:
        wb.show_error(exc)
        return
    if source == "new" and review.reply.record_id:
        # The bytes are a stored reply's: open that record, with its curation (reviewed from nothing, a save would
        # start the curation over).
        st.session_state[wb.FLASH_INFO] = t("wb_already_stored", lang, name=reply.origin, rid=review.reply.record_id)
        st.session_state[wb.STATE] = (wb.key_of(review.reply), review)
        st.session_state.pop("wb_new_reply", None)
        st.session_state["wb_goto"] = review.reply.record_id
        st.rerun()
    key = wb.key_of(reply)

    jurisdiction, document = wb.metadata_form(review, lang, key)
    wb.show_text(review, lang, key)
    fact_rows = wb.facts_editor(review, lang, key, folder)
    added = wb.add_fact_form(review, lang, key)
    measure_rows = wb.measures_editor(review, lang, key)
    note = st.text_input(t("wb_reviewer_note", lang), key=f"wb_note-{key}")
    # Who vouches for the numbers ticked as accepted: typed once per session, recorded with today's date.
    reviewer = st.text_input(t("wb_reviewer", lang), key="wb_reviewer")

    wb.staged_population_box(lang, key)
    st.subheader(t("wb_warnings", lang))
    # What changes from run to run goes into one container, so the elements after it keep their place on the page
    # (an expander the reviewer opened stays open).
    messages = st.container()
    preview = st.expander(t("wb_curation_preview", lang))
    decisions = None
    needs_name = 0
    try:
        rejects, corrections = curate.fact_decisions(review, fact_rows)
        accepted = curate.accept_decisions(review, fact_rows, rejects, corrections)
        try:
            mark = curate.review_mark(review, accepted, corrections, added, reviewer, date.today().isoformat())
        except LoaderError:  # numbers ticked as accepted, nobody named to vouch for them: said below, Save waits
            mark = None
            needs_name = len(set(accepted) - set(review.curation.accept_facts if review.curation else ()))
        decisions = curate.Decisions(jurisdiction=jurisdiction, document=document, reject_facts=rejects,
                                     correct_facts=corrections, accept_facts=accepted, review=mark, add_facts=added,
                                     reject_measures=curate.measure_decisions(review, measure_rows), reviewer_note=note,
                                     population_row=wb.staged_population(key))
        rid, curated, text, warnings = wb.compose_review(review, decisions, folder, key)
    except LoaderError as exc:
        with messages:
            wb.show_error(exc)
        decisions = None
    if decisions is None:
        preview.caption("—")
        return
    with messages:
        st.caption(escape_text(t("wb_record_id", lang, rid=rid)))
        if wb.curation_changed(review, folder, rid):
            st.info(t("wb_file_changed", lang))
        held = len(curate.still_held(review, decisions))
        st.caption(t("wb_summary", lang, accepted=len(decisions.accept_facts or {}), rejected=len(decisions.reject_facts),
                     corrected=len(decisions.correct_facts), added=len(decisions.add_facts or []),
                     measures=len(decisions.reject_measures), held=held))
        decided = set(decisions.accept_facts or {}) | set(decisions.reject_facts) | set(decisions.correct_facts)
        undecided = sum(1 for f in review.draft.facts if f.id not in decided)
        if undecided:
            st.caption(t("wb_undecided", lang, n=undecided))
        if source == "existing":
            st.link_button(t("wb_open_dashboard", lang), wb.dashboard_link(rid, lang))
        for line in warnings:
            st.warning(escape_text(describe_reason(line, lang)))
        if not warnings:
            st.caption(t("wb_no_warnings", lang))
        if curated.jurisdiction.slug in ("", "unknown"):
            st.error(t("wb_jurisdiction_pick", lang) + ": " + t("wb_jurisdiction", lang))
        if needs_name:
            st.warning(t("wb_reviewer_needed", lang, n=needs_name))
    preview.code(text, language="yaml")
    wb.population_form(folder, curated, lang, key)
    if source == "existing":
        wb.remove_box(folder, rid, lang)
    if st.button(t("wb_save", lang), type="primary", key="wb_save",
                 disabled=curated.jurisdiction.slug in ("", "unknown") or bool(needs_name)):
        try:
            saved = curate.save_review(review, decisions, folder)
        except LoaderError as exc:
            wb.show_error(exc)
        else:
            wb.clear_dashboard_caches()
            # The reply is stored now: open it as a stored record, with its curation file read back.
            st.session_state[wb.FLASH] = t("wb_saved", lang, rid=saved.record_id, files=", ".join(saved.written))
            st.session_state.pop(wb.STATE, None)
            st.session_state.pop("wb_new_reply", None)
            st.session_state.pop(f"{wb.POPULATION}-{key}", None)
            st.session_state["wb_goto"] = saved.record_id
            st.rerun()

