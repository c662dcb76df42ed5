"""Every UI string of the dashboard, in Chinese and English; quotes from the replies are never translated."""

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

STRINGS: dict[str, dict[str, str]] = {
    # app and navigation
    "app_title": {"zh": "社会组织培育发展比较", "en": "Growing social organisations: a comparison"},
    "nav_overview": {"zh": "概览", "en": "Overview"},
    "nav_density": {"zh": "每万人社会组织数", "en": "Density"},
    "nav_funding": {"zh": "资金投入", "en": "Funding"},
    "nav_measures": {"zh": "政策措施", "en": "Measures"},
    "nav_compare": {"zh": "两地对比", "en": "Compare"},
    "nav_sources": {"zh": "答复原文", "en": "Sources"},
    "nav_data": {"zh": "数据下载", "en": "Data"},
    "nav_present": {"zh": "演示", "en": "Present"},
    # sidebar
    "sidebar_jurisdictions": {"zh": "地区", "en": "Jurisdictions"},
    "sidebar_language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "sidebar_present": {"zh": "演示模式", "en": "Presenter mode"},
    "sidebar_link_hint": {
        "zh": "当前视图保存在网址中，复制网址即可分享。",
        "en": "The view is saved in the URL: copy it to share.",
    },
    # shared
    "not_stated": {"zh": "未提及", "en": "not stated"},
    "empty_selection": {
        "zh": "未选择任何地区。请在侧边栏选择至少一个地区。",
        "en": "No jurisdiction selected. Pick at least one in the sidebar.",
    },
    "missing_file": {
        "zh": "缺少数据文件 `{file}`。请运行 `python -m loaders build` 重新生成数据表。",
        "en": "The data file `{file}` is missing. Rebuild the tables with `python -m loaders build`.",
    },
    "unreadable_file": {
        "zh": "无法读取数据文件 `{file}`。请运行 `python -m loaders build` 重新生成数据表。",
        "en": "The data file `{file}` could not be read. Rebuild the tables with `python -m loaders build`.",
    },
    "table": {"zh": "数据表", "en": "Table"},
    "sources": {"zh": "来源", "en": "Sources"},
    "download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "source_prefix": {"zh": "来源：", "en": "Source: "},
    "reply_word": {"zh": "答复", "en": "reply"},
    "news_word": {"zh": "新闻稿", "en": "news item"},
    "caveats": {"zh": "说明：", "en": "Notes: "},
    "chart_png_hint": {
        "zh": "图表右上角可导出 PNG，标题、单位与来源都在图内。",
        "en": "Export a PNG from the chart toolbar: the title, units and sources are inside the figure.",
    },
    # levels and document types
    "level_prefecture": {"zh": "地级市", "en": "Prefecture-level city"},
    "level_province": {"zh": "省", "en": "Province"},
    "level_county": {"zh": "县级", "en": "County-level"},
    "doctype_npc_suggestion_reply": {"zh": "人大代表建议答复", "en": "Reply to an NPC deputies' suggestion"},
    "doctype_cppcc_proposal_reply": {"zh": "政协提案答复", "en": "Reply to a CPPCC proposal"},
    "doctype_news_item": {"zh": "新闻稿（非答复）", "en": "News item (not a reply)"},
    # qualifiers
    "q_exact": {"zh": "", "en": ""},
    "q_more_than": {"zh": "超过", "en": "more than "},
    "q_nearly": {"zh": "近", "en": "nearly "},
    "q_approx": {"zh": "约", "en": "about "},
    "q_at_least": {"zh": "至少", "en": "at least "},
    "q_at_most": {"zh": "至多", "en": "at most "},
    "q_range": {"zh": "", "en": ""},
    "qualifier_more_than": {"zh": "超过（下限）", "en": "more than (lower bound)"},
    # units
    "u_count": {"zh": "个", "en": ""},
    "u_person": {"zh": "人", "en": " people"},
    "u_person_time": {"zh": "人次", "en": " person-times"},
    "u_yuan": {"zh": "万元", "en": " 万元 (10k yuan)"},
    "u_usd": {"zh": "美元", "en": " USD"},
    "u_per_10k": {"zh": "个/万人", "en": " per 10,000 residents"},
    "u_per_community": {"zh": "个/社区", "en": " per community"},
    "u_percent": {"zh": "%", "en": "%"},
    "u_event": {"zh": "场/次", "en": " events"},
    "u_hour": {"zh": "小时", "en": " hours"},
    "u_yuan_per_person": {"zh": "元/人", "en": " yuan per person"},
    "u_yuan_per_person_year": {"zh": "元/人·年", "en": " yuan per person per year"},
    "u_yuan_per_unit_year": {"zh": "元/个·年", "en": " yuan per unit per year"},
    # channels
    "ch_lottery_welfare_fund": {"zh": "福利彩票公益金", "en": "Welfare lottery fund"},
    "ch_government_purchase": {"zh": "政府购买服务", "en": "Government purchase of services"},
    "ch_venture_philanthropy": {"zh": "公益创投", "en": "Venture philanthropy"},
    "ch_party_building": {"zh": "党建经费", "en": "Party building"},
    "ch_other": {"zh": "其他", "en": "Other"},
    "ch_": {"zh": "未说明", "en": "unspecified"},
    # scope
    "scope_whole": {"zh": "全域", "en": "whole jurisdiction"},
    "scope_level_only": {"zh": "仅{area}", "en": "{area} only (own level)"},
    "scope_sub_area": {"zh": "仅{area}（辖区一部分）", "en": "{area} only (part of the area)"},
    # periods
    "period_as_of": {"zh": "截至{end}", "en": "as of {end}"},
    "period_since": {"zh": "{start}年以来", "en": "since {start}"},
    "period_recent_years": {"zh": "近年来", "en": "recent years"},
    "period_recent_n": {"zh": "{start}年至{end_year}年", "en": "{start}–{end_year}"},
    "period_year": {"zh": "{start}年", "en": "in {start}"},
    "period_plan_period": {"zh": "{start}–{end}规划期", "en": "plan period {start}–{end}"},
    "period_unspecified": {"zh": "时段未说明", "en": "period not stated"},
    # overview
    "overview_title": {"zh": "概览：各地答复说了什么", "en": "Overview: what each reply states"},
    "overview_intro": {
        "zh": "每张卡片对应一份答复。答复未提及的数字显示为“未提及”，而不是 0。",
        "en": "One card per reply. Figures a reply does not give are shown as “not stated”, never as 0.",
    },
    "card_level": {"zh": "层级", "en": "Level"},
    "card_document": {"zh": "文件", "en": "Document"},
    "card_date": {"zh": "日期", "en": "Date"},
    "m_registered": {"zh": "登记社会组织", "en": "Registered organisations"},
    "m_per10k_reported": {"zh": "每万人（答复所述）", "en": "Per 10,000 (reported)"},
    "m_per10k_computed": {"zh": "每万人（按普查人口计算）", "en": "Per 10,000 (computed, census)"},
    "m_community": {"zh": "社区社会组织", "en": "Community organisations"},
    "m_national": {"zh": "全国每万人（{year}年）", "en": "China per 10,000 ({year})"},
    "card_funding": {"zh": "资金（按渠道）", "en": "Funding by channel"},
    "not_reproducible_short": {"zh": "⚠ 无法复现", "en": "⚠ cannot be reproduced"},
    # density
    "density_title": {"zh": "每万人拥有社会组织数", "en": "Social organisations per 10,000 residents"},
    "density_community_title": {
        "zh": "每万人拥有社区社会组织数",
        "en": "Community social organisations per 10,000 residents",
    },
    "density_intro": {
        "zh": "答复所述数字与用人口数重新计算的数字并列。人口口径可选：2020年普查或最接近的年末常住人口。",
        "en": "The reported figure beside one recomputed from the count and a population: "
        "the 2020 census or the nearest year-end resident population.",
    },
    "base_label": {"zh": "人口口径", "en": "Population base"},
    "base_census": {"zh": "2020年第七次人口普查", "en": "2020 census"},
    "base_nearest": {"zh": "最接近的年末常住人口", "en": "Nearest year-end population"},
    "reported": {"zh": "答复所述", "en": "Reported"},
    "computed": {"zh": "重新计算", "en": "Computed"},
    "national": {"zh": "全国（同年）", "en": "China (same year)"},
    "as_of": {"zh": "截至", "en": "as of"},
    "axis_per10k": {"zh": "个/万人", "en": "per 10,000 residents"},
    "axis_jurisdiction": {"zh": "地区", "en": "Jurisdiction"},
    "flag_title": {"zh": "⚠ 答复数字无法复现", "en": "⚠ Reported figure cannot be reproduced"},
    "flag_short": {"zh": "{name}所述 {value} 无法用已公布人口复现", "en": "{name}'s reported {value} cannot be reproduced from any published population"},
    "density_not_stated": {"zh": "未提及总数（无法计算）：{names}", "en": "Count not stated (cannot compute): {names}"},
    "density_base_note": {"zh": "计算值 = 数量 ÷ 人口 × 10000；人口：{base}", "en": "Computed = count ÷ population × 10,000; population: {base}"},
    "national_note": {"zh": "全国值来自民政统计，部分为推算", "en": "National values from civil-affairs statistics, some derived"},
    "density_table_caption": {"zh": "计算所用数量与人口", "en": "Counts and populations used"},
    # funding
    "funding_title": {"zh": "资金投入（按渠道与地区）", "en": "Funding by channel and jurisdiction"},
    "funding_plans_title": {"zh": "计划资金（目标，非已完成）", "en": "Planned funding (targets, not achievements)"},
    "funding_intro": {
        "zh": "每条柱为答复中的一个金额。“超过/余”按下限绘制（空心三角 ▷ 与“≥”）。范围不是全域的金额已标出，不能与全市数字直接比较。",
        "en": "Each bar is one amount from a reply. “More than” (余/超过) is drawn as a lower bound (open ▷ and “≥”). "
        "Amounts that cover only one level or part of the area are marked and are not comparable with city-wide ones.",
    },
    "mode_label": {"zh": "显示方式", "en": "Show"},
    "mode_stated": {"zh": "答复所述总额", "en": "As stated"},
    "mode_per_year": {"zh": "年均", "en": "Per year"},
    "mode_per_resident": {"zh": "每人每年", "en": "Per resident per year"},
    "axis_wan_yuan": {"zh": "万元", "en": "万元 (10,000 yuan)"},
    "axis_wan_yuan_year": {"zh": "万元/年", "en": "万元 (10,000 yuan) per year"},
    "axis_yuan_resident_year": {"zh": "元/人·年", "en": "yuan per resident per year"},
    "projects": {"zh": "{n}个项目", "en": "{n} projects"},
    "lower_bound": {"zh": "超过（下限）", "en": "more than (lower bound)"},
    "funding_dropped_period": {"zh": "时段不明、无法折算为年均：{items}", "en": "Period unknown, no per-year figure: {items}"},
    "funding_dropped_scope": {"zh": "非全域金额不按人均计算：{items}", "en": "Not whole-area, no per-resident figure: {items}"},
    "funding_years_note": {"zh": "年均 = 金额 ÷ 年数（起始年至答复年份，含首尾）", "en": "Per year = amount ÷ years (start year to reply year, inclusive)"},
    "funding_none": {"zh": "所选地区的答复未提及资金金额。", "en": "The selected replies state no funding amounts."},
    "plans_none": {"zh": "所选地区的答复没有计划资金。", "en": "The selected replies state no planned funding."},
    "population_base_note": {"zh": "人口：{base}", "en": "Population: {base}"},
    "funding_scope_note": {"zh": "标注“仅…”的金额只覆盖本级或部分辖区", "en": "Amounts marked “only” cover one level or part of the area"},
    # measures
    "measures_title": {"zh": "政策措施矩阵", "en": "Policy measures by jurisdiction"},
    "measures_intro": {
        "zh": "行是措施类别，按政策工具类型（供给型、需求型、环境型）分组；■ 已实施，□ 计划。",
        "en": "Rows are measure categories grouped by instrument type (supply, demand, environment); ■ done, □ planned.",
    },
    "measures_none": {
        "zh": "措施表 `data/tables/measures.csv` 还没有数据。请运行 `python -m loaders build` 重新生成。",
        "en": "The measures table `data/tables/measures.csv` has no rows yet. Rebuild with `python -m loaders build`.",
    },
    "codebook_missing": {
        "zh": "措施编码表 `data/reference/measure_codebook.yaml` 不存在，类别以编码显示。",
        "en": "The measure codebook `data/reference/measure_codebook.yaml` is missing; categories are shown by code.",
    },
    "it_supply": {"zh": "供给型", "en": "Supply"},
    "it_demand": {"zh": "需求型", "en": "Demand"},
    "it_environment": {"zh": "环境型", "en": "Environment"},
    "it_": {"zh": "未分类", "en": "Unclassified"},
    "done": {"zh": "已实施", "en": "done"},
    "planned": {"zh": "计划", "en": "planned"},
    "cell_pick": {"zh": "查看某一格的原文", "en": "Show the sentences of one cell"},
    "category": {"zh": "类别", "en": "Category"},
    "no_sentences": {"zh": "该地区没有这一类措施。", "en": "No measures of this category in this reply."},
    "terms_title": {"zh": "各地特色词", "en": "Distinctive terms"},
    "terms_missing": {
        "zh": "特色词表 `data/tables/distinctive_terms.csv` 暂不可用。",
        "en": "Distinctive terms are not available (`data/tables/distinctive_terms.csv` does not exist).",
    },
    # compare
    "compare_title": {"zh": "两地对比", "en": "Compare two jurisdictions"},
    "compare_a": {"zh": "地区 A", "en": "Jurisdiction A"},
    "compare_b": {"zh": "地区 B", "en": "Jurisdiction B"},
    "compare_need_two": {"zh": "至少需要两个地区的数据。", "en": "Two jurisdictions with data are needed."},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "compare_only": {"zh": "只有{name}有的措施", "en": "Measures only {name} has"},
    "compare_indicators": {"zh": "全部指标", "en": "Every indicator"},
    "compare_measures_none": {"zh": "暂无措施数据。", "en": "No measures data yet."},
    "compare_quotes": {"zh": "原文句子", "en": "Sentences from the replies"},
    # sources
    "sources_title": {"zh": "答复原文与清洗", "en": "Replies: cleaned text and what cleaning removed"},
    "sources_pick": {"zh": "选择答复", "en": "Reply"},
    "clean_text": {"zh": "清洗后的文本（高亮为已提取的数字所在句）", "en": "Cleaned text (highlighted: sentences with extracted facts)"},
    "raw_text": {"zh": "原始文本（删除线为清洗时删除的内容）", "en": "Raw text (struck through: removed by cleaning)"},
    "repairs": {"zh": "清洗记录", "en": "Repairs made by cleaning"},
    "origin": {"zh": "出处", "en": "Origin"},
    "issuer": {"zh": "发文机关", "en": "Issuer"},
    "addressee": {"zh": "收文对象", "en": "Addressee"},
    "proposal_title": {"zh": "建议/提案标题", "en": "Suggestion/proposal title"},
    "reference_number": {"zh": "文号", "en": "Reference number"},
    "date_written": {"zh": "成文日期", "en": "Date written"},
    "date_published": {"zh": "发布日期", "en": "Date published"},
    "source_file": {"zh": "原始文件", "en": "Raw file"},
    "collected_from": {"zh": "采集来源", "en": "Collected from"},
    "raw_missing": {
        "zh": "原始文件 `{file}` 不存在。请运行 `python -m loaders build`。",
        "en": "The raw file `{file}` is missing. Run `python -m loaders build`.",
    },
    # data
    "data_title": {"zh": "数据：筛选与下载", "en": "Data: filter and download"},
    "f_indicator": {"zh": "指标", "en": "Indicator"},
    "f_channel": {"zh": "资金渠道", "en": "Funding channel"},
    "f_period": {"zh": "时段类型", "en": "Period kind"},
    "f_qualifier": {"zh": "限定词", "en": "Qualifier"},
    "f_table": {"zh": "数据表", "en": "Table"},
    "rows_shown": {"zh": "显示 {n} 行（共 {total} 行）", "en": "{n} of {total} rows shown"},
    "dl_displayed": {"zh": "下载显示的行", "en": "Download displayed rows"},
    "dl_full": {"zh": "下载全部数据", "en": "Download full table"},
    "dl_csv": {"zh": "CSV", "en": "CSV"},
    "dl_xlsx": {"zh": "Excel (XLSX)", "en": "Excel (XLSX)"},
    "dl_json": {"zh": "JSON", "en": "JSON"},
    "no_rows": {"zh": "筛选后没有数据。", "en": "No rows match the filters."},
    # present
    "present_title": {"zh": "演示", "en": "Presentation"},
    "prev": {"zh": "◀ 上一张", "en": "◀ Previous"},
    "next": {"zh": "下一张 ▶", "en": "Next ▶"},
    "slide_of": {"zh": "第 {i} / {n} 张", "en": "Slide {i} of {n}"},
}


def t(key: str, lang: str, **kwargs) -> str:
    """The string for key in lang; an unknown key shows itself so a gap is visible, not a crash."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    # "" is a real translation (English needs no counter word for 个), so test membership, not truthiness.
    text = entry[lang] if lang in entry else entry.get(DEFAULT_LANG, key)
    return text.format(**kwargs) if kwargs else text
