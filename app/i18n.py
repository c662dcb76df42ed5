"""Every UI string of the dashboard, in Chinese and English; quotes from the replies are never translated."""

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

STRINGS: dict[str, dict[str, str]] = {
    # app and navigation
    "app_title": {"zh": "社会组织培育发展比较", "en": "Growing social organisations: a comparison"},
    "nav_overview": {"zh": "概览", "en": "Overview"},
    "nav_density": {"zh": "每万人社会组织数", "en": "Density"},
    "nav_trends": {"zh": "变化趋势", "en": "Over time"},
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
    "pick_jurisdictions": {"zh": "选择地区", "en": "Choose jurisdictions"},
    "sidebar_link_hint": {
        "zh": "当前视图保存在网址中，复制网址即可分享。",
        "en": "The view is saved in the URL: copy it to share.",
    },
    "sidebar_default_short": {
        "zh": "数据中共有 {total} 个地区，默认只选前 {n} 个（按答复顺序）；可在上方添加或删除地区。",
        "en": "The data covers {total} places; the first {n} (in reply order) are selected by default. "
        "Add or remove places above.",
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
    "table_broken": {
        "zh": "数据表无法使用，本页不能显示：  \n{problems}",
        "en": "A data table this page needs cannot be used:  \n{problems}",
    },
    "table_broken_elsewhere": {
        "zh": "以下数据表无法使用（本页不需要它，其余内容照常显示）：  \n{problems}",
        "en": "A data table cannot be used (this page does not need it and works without it):  \n{problems}",
    },
    "sources": {"zh": "来源", "en": "Sources"},
    "download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    # bounds (app/limits.py): what a page leaves out when a selection is large, and how to see it
    "quotes_cut": {"zh": "另有 {n} 句未列出；全部句子可在“数据下载”页下载。",
                   "en": "{n} more sentences not listed; download them all on the Data page."},
    "table_cut": {
        "zh": "表中只显示前 {n} 行（共 {total} 行）；下载文件包含全部行。",
        "en": "Showing {n} of {total} rows; download for all.",
    },
    "and_more": {"zh": "等另外 {n} 个", "en": " and {n} more"},
    "sources_more": {"zh": "；另有 {n} 份答复（全部列在“答复原文”页和 XLSX 下载的 sources 表中）",
                     "en": "; and {n} more replies (all listed on the Sources page and in the XLSX download's sources sheet)"},
    "places_cut": {
        "zh": "只显示所选 {total} 个地区中的前 {n} 个；未显示：{names}。如需查看，请在侧边栏中选择不超过 {n} 个地区。",
        "en": "Only the first {n} of the {total} selected places are shown; not shown: {names}. "
        "To see them, select at most {n} places in the sidebar.",
    },
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
    "level_": {"zh": "未提及", "en": "not stated"},  # a reply whose place could not be identified
    "doctype_npc_suggestion_reply": {"zh": "人大代表建议答复", "en": "Reply to an NPC deputies' suggestion"},
    "doctype_cppcc_proposal_reply": {"zh": "政协提案答复", "en": "Reply to a CPPCC proposal"},
    "doctype_news_item": {"zh": "新闻稿（非答复）", "en": "News item (not a reply)"},
    "doctype_": {"zh": "未提及", "en": "not stated"},
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
    "scope_level_only": {"zh": "仅{area}", "en": "{area} only"},
    "scope_sub_area": {"zh": "仅{area}（辖区一部分）", "en": "{area} only (part of the area)"},
    # periods
    "period_as_of": {"zh": "截至{end}", "en": "as of {end}"},
    "period_since": {"zh": "{start}年以来", "en": "since {start}"},
    "period_since_date": {"zh": "{start}以来", "en": "since {start}"},
    "period_recent_years": {"zh": "近年来", "en": "recent years"},
    "period_recent_n": {"zh": "{start}年至{end_year}年", "en": "{start}–{end_year}"},
    "period_year": {"zh": "{start}年", "en": "in {start}"},
    "period_plan_period": {"zh": "{start}–{end}规划期", "en": "plan period {start}–{end}"},
    "period_unspecified": {"zh": "时段未说明", "en": "period not stated"},
    # overview
    "overview_title": {"zh": "概览：各地答复说了什么", "en": "Overview: what each reply states"},
    "overview_intro": {
        "zh": "每张卡片对应一个地区，数字取其最新答复。答复未提及的数字显示为“未提及”，而不是 0。",
        "en": "One card per place, its figures from its newest reply. Figures a reply does not give are shown as “not "
              "stated”, never as 0.",
    },
    "card_level": {"zh": "层级", "en": "Level"},
    "card_document": {"zh": "文件", "en": "Document"},
    "card_date": {"zh": "日期", "en": "Date"},
    "card_replies": {"zh": "本地共{n}份答复，各项取最新数字（另有：{older}）",
                     "en": "{n} replies from this place; each figure is the newest (also: {older})"},
    "card_change": {"zh": "变化", "en": "Change"},
    "sidebar_several_replies": {"zh": "有多份答复：{places}。各页默认取各地最新数字，“变化趋势”页列出全部。",
                                "en": "Several replies: {places}. Pages show each place's newest figures; "
                                      "“Over time” shows them all."},
    "trends_title": {"zh": "变化趋势：各地数字随时间", "en": "Over time: each place's figures by date"},
    "trend_intro": {
        "zh": "每个点是一份答复所述的数字（截至其自身日期），点击可查看原文句子；同一地区的点连成线。三角形为下限（超过、以上）或上限（近、不超过），空心圆为约数。",
        "en": "Each point is a figure one reply states, as of its own date; click it to see the sentence. A place's "
              "points are joined by a line. Triangles are bounds (more than, nearly), an open circle an approximation.",
    },
    "trend_title_count": {"zh": "登记社会组织数（各答复所述）", "en": "Registered social organisations, as each reply states"},
    "trend_title_computed_per_10k": {"zh": "每万人拥有社会组织数（按2020年普查人口重新计算）",
                                     "en": "Social organisations per 10,000 residents (computed on the 2020 census)"},
    "trend_title_reported_per_10k": {"zh": "每万人拥有社会组织数（答复所述）",
                                     "en": "Social organisations per 10,000 residents (as reported)"},
    "trend_measure": {"zh": "每万人口径", "en": "Density shown"},
    "trend_measure_computed_per_10k": {"zh": "按普查人口重新计算", "en": "computed on the 2020 census"},
    "trend_measure_reported_per_10k": {"zh": "答复所述", "en": "as reported"},
    "trend_period": {"zh": "时间范围", "en": "Period"},
    "trend_none": {"zh": "所选地区在此时间范围内没有数字。", "en": "No figures for these places in this period."},
    "trend_one_each": {"zh": "所选地区各只有一个日期的数字；添加同一地区后续年份的答复后，这里会显示变化。",
                       "en": "Each place chosen has figures of one date so far; add a later reply from the same place "
                             "to see how it changed."},
    "trend_national": {"zh": "全国", "en": "China"},
    "trend_national_note": {"zh": "全国线中部分年份为推算值（见全国数据来源）。",
                            "en": "Some years of China's line are derived (see the national table's source)."},
    "trend_bounds_note": {"zh": "三角形为下限或上限，空心圆为约数：真实数字在其上方、下方或附近。",
                          "en": "Triangles are bounds and an open circle an approximation: the true figure lies above, "
                                "below or near it."},
    "trend_axis_count": {"zh": "家", "en": "organisations"},
    "trend_not_stated": {"zh": "未提及登记社会组织总数：{names}", "en": "No count of registered organisations stated: {names}"},
    "trend_axis_date": {"zh": "截至日期", "en": "As of"},
    "trend_table": {"zh": "所有数据点（含原文链接）", "en": "Every point, with its sentence"},
    "change_line": {"zh": "{what} {diff}（较{date}的{before}）", "en": "{what} {diff} since {date} (from {before})"},
    "change_not_comparable": {"zh": "{what}：与{date}的{before}不可直接相减（{why}）",
                              "en": "{what}: not comparable with {before} of {date} ({why})"},
    "change_unit_differs": {"zh": "单位不同", "en": "another unit"},
    "change_bound": {"zh": "其一为约数或上下限", "en": "one of them is a bound"},
    "from_reply": {"zh": "出自 {record}（{date}）", "en": "from {record} ({date})"},
    "m_registered": {"zh": "登记社会组织", "en": "Registered organisations"},
    "m_per10k_reported": {"zh": "每万人（答复所述）", "en": "Per 10,000 (reported)"},
    "m_per10k_computed": {"zh": "每万人（按普查人口计算）", "en": "Per 10,000 (computed)"},
    "m_per10k_computed_help": {
        "zh": "登记数量 ÷ 2020年第七次人口普查人口 × 10000",
        "en": "Registered organisations ÷ 2020 census population × 10,000",
    },
    "m_community": {"zh": "社区社会组织", "en": "Community organisations"},
    "m_national": {"zh": "全国每万人（{year}年）", "en": "China per 10,000 ({year})"},
    "card_funding": {"zh": "资金（按渠道）", "en": "Funding by channel"},
    "not_reproducible_short": {"zh": "⚠ 无法复现", "en": "⚠ cannot be reproduced"},
    "overview_cut": {
        "zh": "只为所选 {total} 个地区中的前 {n} 个显示卡片；页面底部的数据表列出全部 {total} 个地区。"
        "如需查看其他地区的卡片，请在侧边栏中选择不超过 {n} 个地区。",
        "en": "Cards for the first {n} of the {total} selected places; the table at the bottom of the page lists all "
        "{total}. To see the card of another place, select at most {n} places in the sidebar.",
    },
    "card_more_amounts": {"zh": "……另有 {n} 个金额，见“资金投入”页", "en": "… and {n} more amounts: see the Funding page"},
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
    "flag_more": {
        "zh": "图中未显示的地区中，另有 {n} 个地区所述的每万人数字无法复现：{names}（见下方数据表）。",
        "en": "{n} more selected places, not in the chart, report a density that cannot be reproduced: {names} "
        "(see the table below).",
    },
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
    "funding_cut": {
        "zh": "金额太多，一张图放不下：图中显示 {total} 个金额中的 {n} 个（各地区轮流，先显示各自最大的金额）。"
        "全部金额见下方数据表与 CSV 下载；在侧边栏少选地区即可在图中看到全部金额。",
        "en": "Too many amounts for one chart: {n} of {total} are drawn (places take turns, each one's largest "
        "first). Every amount is in the table below and the CSV download; select fewer places in the sidebar to "
        "draw them all.",
    },
    "funding_cut_places": {"zh": "没有显示任何金额的地区：{names}", "en": "Places with no amount drawn: {names}"},
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
    "compare_year": {"zh": "答复年份", "en": "Replies up to"},
    "compare_year_latest": {"zh": "最新（{year}）", "en": "latest ({year})"},
    "compare_dates_apart": {
        "zh": "注意：{a}的数字截至{da}，{b}的截至{db}，相隔约{years}年；增长期间的差异不等于两地的差距。",
        "en": "Note: {a}'s figures are as of {da} and {b}'s as of {db}, about {years} years apart; part of the "
              "difference is growth over time.",
    },
    "compare_need_two": {"zh": "至少需要两个地区的数据。", "en": "Two jurisdictions with data are needed."},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "compare_only": {"zh": "只有{name}有的措施", "en": "Measures only {name} has"},
    "compare_indicators": {"zh": "全部指标", "en": "Every indicator"},
    "compare_measures_none": {"zh": "暂无措施数据。", "en": "No measures data yet."},
    "compare_quotes": {"zh": "原文句子", "en": "Sentences from the replies"},
    "compare_levels": {
        "zh": "注意：{a}是{la}，{b}是{lb}，辖区规模不同，总量不能直接比较；请比较每万人等相对指标。",
        "en": "Note: {a} is a {la} and {b} a {lb}; totals cover areas of different size and are not directly "
        "comparable. Compare rates such as per-10,000 figures instead.",
    },
    # sources
    "sources_title": {"zh": "答复原文与清洗", "en": "Replies: cleaned text and what cleaning removed"},
    "sources_pick": {"zh": "选择答复", "en": "Reply"},
    "raw_unreadable": {
        "zh": "原始文件 {file} 无法作为文本读取（{problem}），因此不能显示原文与高亮。请检查该文件（应为 UTF-8、GB18030/GBK、"
        "Big5 或 UTF-16 文本）后运行 `python -m loaders build`。",
        "en": "The raw file {file} cannot be read as text ({problem}), so its text and highlights cannot be shown. "
        "Check the file (UTF-8, GB18030/GBK, Big5 or UTF-16 text) and run `python -m loaders build`.",
    },
    "raw_changed": {
        "zh": "原始文件 {file} 在生成数据表之后被修改过（SHA-256 不符），高亮位置可能不准。请运行 `python -m loaders build`。",
        "en": "The raw file {file} changed after the tables were built (its SHA-256 differs), so the highlights "
        "may be misplaced. Run `python -m loaders build`.",
    },
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
    "sha256": {"zh": "SHA-256 校验值", "en": "SHA-256 checksum"},
    "collected_from": {"zh": "采集来源", "en": "Collected from"},
    "raw_missing": {
        "zh": "原始文件 {file} 不存在。请运行 `python -m loaders build`。",
        "en": "The raw file {file} is missing. Run `python -m loaders build`.",
    },
    # data
    "data_title": {"zh": "数据：筛选与下载", "en": "Data: filter and download"},
    "f_indicator": {"zh": "指标", "en": "Indicator"},
    "f_channel": {"zh": "资金渠道", "en": "Funding channel"},
    "f_period": {"zh": "时段类型", "en": "Period kind"},
    "f_qualifier": {"zh": "限定词", "en": "Qualifier"},
    "f_table": {"zh": "数据表", "en": "Table"},
    "tbl_facts": {"zh": "数字事实", "en": "Facts"},
    "tbl_density": {"zh": "每万人密度", "en": "Density"},
    "tbl_documents": {"zh": "答复文件", "en": "Replies"},
    "tbl_measures": {"zh": "政策措施", "en": "Measures"},
    "filter_all": {"zh": "全部（点击筛选）", "en": "All (click to filter)"},
    "rows_shown": {"zh": "显示 {n} 行（共 {total} 行）", "en": "{n} of {total} rows shown"},
    "dl_displayed": {"zh": "下载显示的行", "en": "Download displayed rows"},
    "dl_full": {"zh": "下载全部数据", "en": "Download full table"},
    "dl_csv": {"zh": "CSV", "en": "CSV"},
    "dl_xlsx": {"zh": "Excel (XLSX)", "en": "Excel (XLSX)"},
    "dl_json": {"zh": "JSON", "en": "JSON"},
    "no_rows": {"zh": "筛选后没有数据。", "en": "No rows match the filters."},
    # density chart
    "count_not_stated": {"zh": "未提及总数", "en": "count not stated"},
    "national_value": {"zh": "全国 {value}（{year}）", "en": "China {value} ({year})"},
    "derived_mark": {"zh": "* 为推算值", "en": "* derived"},
    "flag_detail": {
        "zh": "{count} ÷ {reported} × 10000 意味着常住人口 {implied}；已公布的人口（{pops}）都得不出 {reported}",
        "en": "{count} ÷ {reported} × 10,000 implies {implied} residents; no published population ({pops}) gives {reported}",
    },
    # presenter
    "present_hint": {
        "zh": "打开侧边栏中的“演示模式”：侧边栏收起，字号放大，每屏一张图。",
        "en": "Turn on “Presenter mode” in the sidebar for large type, the sidebar out of the way and one chart per screen.",
    },
    # tables
    "jurisdiction_one": {"zh": "地区", "en": "Jurisdiction"},
    "downloads_keep_codes": {
        "zh": "表格以中文显示；下载文件保留原始列名与编码（如 channel = lottery_welfare_fund），便于程序处理。",
        "en": "The table shows readable labels; downloads keep the column names and codes "
        "(e.g. channel = lottery_welfare_fund) so scripts can rely on them.",
    },
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "status_achievement": {"zh": "已完成", "en": "achieved"},
    "status_target": {"zh": "目标/计划", "en": "target"},
    "status_done": {"zh": "已实施", "en": "done"},
    "status_planned": {"zh": "计划", "en": "planned"},
    "pk_as_of": {"zh": "截至某日", "en": "as of a date"},
    "pk_since": {"zh": "某年以来", "en": "since a year"},
    "pk_year": {"zh": "单一年度", "en": "one year"},
    "pk_plan_period": {"zh": "规划期", "en": "plan period"},
    "pk_recent_years": {"zh": "近年来", "en": "recent years"},
    "pk_unspecified": {"zh": "未说明", "en": "not stated"},
    "sk_whole": {"zh": "全域", "en": "whole area"},
    "sk_level_only": {"zh": "仅本级", "en": "own level only"},
    "sk_sub_area": {"zh": "辖区一部分", "en": "part of the area"},
    "src_extracted": {"zh": "自动提取", "en": "extracted"},
    "src_corrected": {"zh": "人工更正", "en": "corrected by hand"},
    "src_added": {"zh": "人工补充", "en": "added by hand"},
    "qualifier_exact": {"zh": "确数", "en": "exact"},
    "qualifier_at_least": {"zh": "至少（下限）", "en": "at least (lower bound)"},
    "qualifier_nearly": {"zh": "近（约数）", "en": "nearly"},
    "qualifier_approx": {"zh": "约", "en": "about"},
    "qualifier_at_most": {"zh": "至多", "en": "at most"},
    "qualifier_range": {"zh": "范围", "en": "range"},
    "repair_kind_spam": {"zh": "垃圾文字", "en": "spam"},
    "repair_kind_furniture": {"zh": "网页元素", "en": "page furniture"},
    "repair_kind_blank_lines": {"zh": "空行", "en": "blank lines"},
    "repair_kind_pinyin": {"zh": "拼音", "en": "pinyin"},
    "repair_kind_traditional": {"zh": "繁体字", "en": "traditional characters"},
    "repairs_none": {"zh": "这份答复无需清洗。", "en": "Cleaning changed nothing in this reply."},
    # present
    "present_title": {"zh": "演示", "en": "Presentation"},
    "prev": {"zh": "◀ 上一张", "en": "◀ Previous"},
    "next": {"zh": "下一张 ▶", "en": "Next ▶"},
    "slide_of": {"zh": "第 {i} / {n} 张", "en": "Slide {i} of {n}"},
    # deck and slide takeaways (app/deck.py); {slots} are filled with numbers that link to their evidence
    "deck_download": {"zh": "下载演示文稿（PPTX）", "en": "Download slides (PPTX)"},
    "deck_png": {"zh": "下载幻灯片图片（PNG 1920×1080，ZIP）", "en": "Download slide pictures (PNG 1920×1080, ZIP)"},
    "deck_png_missing": {
        "zh": "导出图片需要 kaleido 与本机的 Chromium（apt-get install chromium）。",
        "en": "Slide pictures need kaleido and a local Chromium (apt-get install chromium).",
    },
    "deck_menu": {"zh": "下载", "en": "Download"},
    "deck_replies": {"zh": "本演示依据的 {n} 份答复", "en": "The {n} replies behind these slides"},
    "deck_notes_head": {"zh": "原文依据：", "en": "From the replies:"},
    "present_keys": {
        "zh": "键盘：← → 或 PageUp / PageDown 翻页，Home / End 到第一张 / 最后一张，浏览器“后退”回到上一张。",
        "en": "Keys: ← → or PageUp / PageDown to move, Home / End for the first / last slide, the browser's Back for the previous one.",
    },
    "tk_noun_total": {"zh": "社会组织", "en": "social organisations"},
    "tk_noun_community": {"zh": "社区社会组织", "en": "community social organisations"},
    "tk_density": {"zh": "{name}每万人拥有{noun}{value}个{basis}", "en": "{name} has {value} {noun} per 10,000 residents{basis}"},
    # Every density a takeaway names says which figure it is (the reply's own or computed here) and its year, so that
    # two slides never show one place's 14.95 and 15.04 without saying why, and places of different years say so.
    "tk_basis_reported": {"zh": "（答复所述，{year}年）", "en": " (as the reply states, {year})"},
    "tk_basis_computed": {"zh": "（{year}年，按2020年普查人口重新计算）", "en": " ({year}, computed on the 2020 census)"},
    "tk_vs_national": {"zh": "，约为同年全国（{national}）的{ratio}倍", "en": ", about {ratio} times China's {national} in the same year"},
    "tk_lowest": {"zh": "；最低为{name}（{value}{basis}）", "en": "; the lowest is {name} ({value}{basis})"},
    "tk_basis_reported_short": {"zh": "，答复所述，{year}年", "en": ", as the reply states, {year}"},
    "tk_basis_computed_short": {"zh": "，{year}年，按2020年普查人口重新计算", "en": ", {year}, computed on the 2020 census"},
    "tk_stop": {"zh": "。", "en": "."},
    "tk_funding": {
        "zh": "所述最大一笔：{name}{channel}{amount}{detail}；各笔时段与范围不同，未相加。",
        "en": "Largest amount stated: {name}, {channel}, {amount}{detail}; the amounts cover different periods and scopes and are not added up.",
    },
    "tk_funding_detail": {"zh": "（{detail}）", "en": " ({detail})"},
    # The key of the marks a slide's labels carry (app/fmt.py QUALIFIER_MARK): one item per mark drawn, each saying the
    # reply's words it stands for, so a label's mark and the key never disagree.
    "marks_note": {"zh": "标记：{items}", "en": "Marks: {items}"},
    "mark_lower": {"zh": "≥ 下限（超过、以上、不少于）", "en": "≥ a lower bound (more than, at least)"},
    "mark_upper": {"zh": "≤ 上限（近、不超过）", "en": "≤ an upper bound (nearly, at most)"},
    "mark_about": {"zh": "≈ 约数（约）", "en": "≈ an approximate figure (about)"},
    "slide_missing": {"zh": "{what}：未提及", "en": "{what}: not stated"},
    "slide_notes": {"zh": "注释与来源（{n}条）", "en": "Notes and sources ({n})"},
    "tk_measures_all": {"zh": "所选各地都已实施：{items}；", "en": "Done in every place selected: {items}; "},
    "tk_measures_most": {"zh": "{name}已实施的类别最多（{count}类）。", "en": "{name} has done the most categories ({count})."},
    "tk_measures_one": {"zh": "{name}已实施{count}类措施。", "en": "{name} has done {count} categories of measures."},
    "tk_pair_title": {"zh": "{a}与{b}对比 · 重新计算（2020年普查人口）", "en": "{a} against {b} · computed on the 2020 census"},
    "tk_pair_social_orgs_total": {"zh": "每万人社会组织", "en": "Social organisations per 10,000"},
    "tk_pair_community_social_orgs": {"zh": "每万人社区社会组织", "en": "Community social organisations per 10,000"},
    "tk_pair_place": {"zh": "{name}（{year}年）", "en": "{name} ({year})"},
    "tk_pair": {
        "zh": "{high}每万人拥有社会组织{vh}个（{yh}年），为{low}（{vl}，{yl}年）的{ratio}倍；均按2020年普查人口重新计算。",
        "en": "{high} has {vh} social organisations per 10,000 residents ({yh}), {ratio} times {low} ({vl}, {yl}); both computed on the 2020 census.",
    },
    "tk_pair_missing": {"zh": "{name}未提及社会组织总数，无法比较。", "en": "{name} states no count of social organisations: no comparison."},
}


def t(key: str, lang: str, **kwargs) -> str:
    """The string for key in lang; an unknown key shows itself so a gap is visible, not a crash."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    # "" is a real translation (English needs no counter word for 个), so test membership, not truthiness.
    text = entry[lang] if lang in entry else entry.get(DEFAULT_LANG, key)
    return text.format(**kwargs) if kwargs else text


# Column headers of the tables shown on the pages; downloads keep the codes.
COLUMNS: dict[str, tuple[str, str]] = {
    "record_id": ("答复编号", "Reply ID"),
    "jurisdiction": ("地区", "Jurisdiction"),
    "jurisdiction_zh": ("地区（中文）", "Jurisdiction (Chinese)"),
    "name": ("地区", "Jurisdiction"),
    "level": ("层级", "Level"),
    "id": ("事实编号", "Fact ID"),
    "fact_id": ("数量事实编号", "Count fact ID"),
    "reported_fact_id": ("所述密度事实编号", "Reported-density fact ID"),
    "indicator": ("指标", "Indicator"),
    "label": ("原文用词", "Term in the reply"),
    "value": ("数值", "Value"),
    "value_max": ("上限", "Upper value"),
    "unit": ("单位", "Unit"),
    "qualifier": ("限定词", "Qualifier"),
    "status": ("状态", "Status"),
    "period_kind": ("时段类型", "Period kind"),
    "period_start": ("起始", "Period start"),
    "period_end": ("截止", "Period end"),
    "period_text": ("时段原文", "Period as written"),
    "period": ("时段", "Period"),
    "scope_kind": ("范围", "Scope"),
    "scope_area": ("范围所指", "Scope area"),
    "scope": ("范围", "Scope"),
    "channel": ("资金渠道", "Funding channel"),
    "channel_label": ("资金渠道", "Funding channel"),
    "number_text": ("数字原文", "Number as written"),
    "quote": ("原文句子", "Sentence in the reply"),
    "quote_clean": ("原文句子（清洗后）", "Sentence (cleaned)"),
    "quote_start": ("原文起点", "Quote start"),
    "quote_end": ("原文终点", "Quote end"),
    "source": ("提取方式", "How extracted"),
    "note": ("备注", "Note"),
    "count": ("数量", "Count"),
    "count_qualifier": ("数量限定词", "Count qualifier"),
    "as_of": ("截至日期", "As of"),
    "reported_per_10k": ("每万人（答复所述）", "Per 10,000 (reported)"),
    "computed_per_10k": ("每万人（重新计算）", "Per 10,000 (computed)"),
    "base": ("人口口径", "Population base"),
    "population_persons": ("人口", "Population"),
    "population": ("人口", "Population"),
    "population_date": ("人口日期", "Population date"),
    "population_source": ("人口来源", "Population source"),
    "is_reproducible": ("可复现", "Reproducible"),
    "flag_note": ("复现说明", "Reproduction note"),
    "amount_yuan": ("金额（元）", "Amount (yuan)"),
    "shown": ("图中数值", "Value charted"),
    "lower_bound": ("下限", "Lower bound"),
    "projects": ("项目数", "Projects"),
    "years": ("年数", "Years"),
    "issuer": ("发文机关", "Issuer"),
    "doc_date": ("日期", "Date"),
    "doc_type": ("文件类型", "Document type"),
    "reference": ("文号", "Reference number"),
    "category": ("措施类别", "Measure category"),
    "instrument_type": ("政策工具类型", "Instrument type"),
    "matched": ("匹配词", "Matched term"),
    "jurisdiction_name_zh": ("地区（中文）", "Jurisdiction (Chinese)"),
    "jurisdiction_name_en": ("地区（英文）", "Jurisdiction (English)"),
    "jurisdiction_level": ("层级", "Level"),
    "jurisdiction_province_zh": ("省份（中文）", "Province (Chinese)"),
    "jurisdiction_province_en": ("省份（英文）", "Province (English)"),
    "document_type": ("文件类型", "Document type"),
    "document_issuer": ("发文机关", "Issuer"),
    "document_addressee": ("收文对象", "Addressee"),
    "document_proposal_title": ("建议/提案标题", "Suggestion/proposal title"),
    "document_proposal_number": ("建议/提案编号", "Suggestion/proposal number"),
    "document_reference_number": ("文号", "Reference number"),
    "document_session": ("会议届次", "Session"),
    "document_date_written": ("成文日期", "Date written"),
    "document_date_published": ("发布日期", "Date published"),
    "document_index_number": ("索引号", "Index number"),
    "title": ("标题", "Title"),
    "source_file": ("原始文件", "Raw file"),
    "collected_from": ("采集来源", "Collected from"),
    "sha256": ("SHA-256 校验值", "SHA-256 checksum"),
    "fact_count": ("数字事实数", "Facts"),
    "measure_count": ("措施句数", "Measure sentences"),
    "national_per_10k": ("全国每万人（同年）", "China per 10,000 (same year)"),
    "kind": ("类型", "Kind"),
    "raw_start": ("原文起点", "Raw start"),
    "raw_end": ("原文终点", "Raw end"),
    "removed": ("删除的内容", "Removed"),
    "replacement": ("替换为", "Replaced by"),
    "reason": ("原因", "Reason"),
}


def column_label(code: str, lang: str) -> str:
    """Human header of a table column; unknown columns keep their code."""
    pair = COLUMNS.get(code)
    return pair[0 if lang == "zh" else 1] if pair else code

# ---- evidence links, number formats, compare headline, downloads (issue 12, evidence-ui) ----------------------
STRINGS.update({
    "axis_per_year": {"zh": "{unit}/年", "en": "{unit} per year"},
    "upper_bound": {"zh": "近（上限）", "en": "nearly (upper bound)"},
    "funding_none_shown": {
        "zh": "所选答复提及 {n} 笔资金，但都无法按此方式显示（原因见下方说明）。",
        "en": "The selected replies state {n} amounts, but none can be shown this way (see below for why).",
    },
    "funding_dropped_population": {"zh": "无对应人口数据、不按人均计算：{items}", "en": "No population known, no per-resident figure: {items}"},
    "as_written": {"zh": "原文写作", "en": "as written"},
    "click_for_evidence": {"zh": "点击查看原文句子", "en": "click to see the sentence"},
    "evidence": {"zh": "原文", "en": "Evidence"},
    "evidence_links": {"zh": "出处", "en": "Evidence"},
    "open_sentence": {"zh": "查看原文句子", "en": "open the sentence"},
})
COLUMNS.update({
    "evidence": ("原文", "Evidence"),
    "value_text": ("金额", "Amount"),
    "figure": ("数值", "Figure"),
})
STRINGS.update({
    "table_empty": {"zh": "没有可列出的行。", "en": "No rows to list."},
})
STRINGS.update({
    "not_recorded": {"zh": "未记录", "en": "not recorded"},
    "provenance": {"zh": "元数据从何而来", "en": "Where the metadata came from"},
    "provenance_line": {"zh": "{field}：{value}（依据{signal}：{evidence}）", "en": "{field}: {value} (from {signal}: {evidence})"},
    "facts_in_reply": {"zh": "本答复中的数字（点击跳转到原文位置）", "en": "Numbers in this reply (each links to its place in the text)"},
    "fact_not_found": {"zh": "链接所指的数字 {fact} 不在这份答复中。", "en": "The number the link points to ({fact}) is not in this reply."},
    "evidence_target": {"zh": "链接所指：{title}", "en": "The link points to: {title}"},
    "raw_and_removed": {"zh": "原始文本与清洗删除的内容", "en": "Raw text and what cleaning removed"},
})
COLUMNS.update({"reported_evidence": ("所述密度原文", "Reported density: evidence")})
STRINGS.update({
    "cmp_years_differ": {"zh": "⚠ 年份不同（{a}年 对 {b}年）", "en": "⚠ years differ ({a} against {b})"},
    "cmp_scope_differs": {"zh": "⚠ 范围不同（{scope} 对 {other}）", "en": "⚠ scopes differ ({scope} against {other})"},
    "cmp_bound_vs_exact": {"zh": "⚠ 此为约数或界限，另一方为确数", "en": "⚠ a bound, the other figure is exact"},
    "cmp_exact_vs_bound": {"zh": "⚠ 此为确数，另一方为约数或界限", "en": "⚠ exact, the other figure is a bound"},
    "cmp_flag": {"zh": "⚠ 无法用公开人口复现", "en": "⚠ no published population reproduces it"},
    "compare_headline": {"zh": "可比指标", "en": "Comparable indicators"},
    "compare_headline_note": {
        "zh": "每个数字都链接到原文句子；⚠ 标出不宜直接比较之处。每万人数字按第七次人口普查人口计算。",
        "en": "Every number links to its sentence; ⚠ marks where two figures should not be read against each other. "
              "Computed densities use the 2020 census population.",
    },
    "cmp_row_registered": {"zh": "登记社会组织", "en": "Registered social organisations"},
    "cmp_row_reported": {"zh": "每万人社会组织数（答复所述）", "en": "Per 10,000 residents (reported)"},
    "cmp_row_computed": {"zh": "每万人社会组织数（按普查人口计算）", "en": "Per 10,000 residents (computed, 2020 census)"},
    "cmp_row_community": {"zh": "社区社会组织", "en": "Community social organisations"},
    "cmp_row_funding": {"zh": "资金：{channel}（元/人·年）", "en": "Funding: {channel} (yuan per resident per year)"},
    "cmp_of_which": {"zh": "其中", "en": "of which"},
    "cmp_funding_left_out": {"zh": "另有 {n} 笔未计入人均（{why}）", "en": "{n} more not per resident ({why})"},
    "cmp_why_scope": {"zh": "非全域", "en": "not whole-area"},
    "cmp_why_period": {"zh": "时段不明", "en": "period unknown"},
    "cmp_why_population": {"zh": "无人口数据", "en": "no population"},
    "compare_all_indicators": {"zh": "全部指标（{n} 项）", "en": "Every indicator ({n})"},
    "compare_done_vs_planned": {"zh": "{name}已做、{other}仅在计划中的措施", "en": "What {name} has done and {other} only plans"},
    "compare_terms_note": {"zh": "特色词已去除地名、代词与机关名称。", "en": "Place names, pronouns and bureau names are left out of the distinctive terms."},
})
COLUMNS.update({"shown_as": ("显示为", "Shown as"), "raw_sha256": ("原始文件 SHA-256", "Raw file SHA-256"),
                "evidence_url": ("原文链接", "Evidence link")})
STRINGS.update({"cmp_not_per_resident": {"zh": "未计入人均：{why}", "en": "not per resident: {why}"}})
STRINGS.update({
    "dl_everything": {"zh": "全部数据", "en": "All the data"},
    "dl_zip": {"zh": "下载 ZIP（全部 CSV + datapackage.json + 说明）", "en": "Download ZIP (every CSV + datapackage.json + README)"},
    "dl_zip_note": {
        "zh": "ZIP 为 Frictionless 数据包：datapackage.json 说明每一列的类型与含义；每行一个事实，数值为数字，附单位、限定词、时段、范围、原文句子、答复编号和原始文件 SHA-256。",
        "en": "The ZIP is a Frictionless Data Package: datapackage.json gives every column's type and meaning; one row per "
              "fact, numbers as numbers, with unit, qualifier, period, scope, sentence, reply id and the raw file's SHA-256.",
    },
    "zip_description": {
        "zh": "各地民政部门答复中的数字事实、每万人社会组织数、答复元数据与政策措施，每个数字附原文句子。",
        "en": "Numbers stated in civil-affairs bureaus' replies, organisations per 10,000 residents, the replies and their "
              "coded policy measures; every number with its sentence.",
    },
})
STRINGS.update({
    "funding_intro": {
        "zh": "每条柱为答复中的一个金额，点击柱子可查看原文句子。“超过/余/多”是下限（空心三角 ▷），“近”是上限（◁），“约”为约数；"
              "鼠标悬停可见原文写法。范围不是全域的金额已标出，不能与全市数字直接比较。",
        "en": "Each bar is one amount from a reply; click a bar to see its sentence. “More than” (余/多/超过) is a lower "
              "bound (open ▷), “nearly” (近) an upper bound (◁), “about” (约) an approximation; hover to see the number "
              "as the reply wrote it. Amounts that cover only one level or part of the area are marked and are not "
              "comparable with city-wide ones.",
    },
})

# --- review workbench (curate.py, app/workbench.py): started only by `make curate` ---
STRINGS.update({
    "wb_title": {"zh": "答复审核工作台", "en": "Review workbench"},
    "wb_intro": {
        "zh": "添加一份新答复，或审核已有答复：核对地区与日期，逐条确认、更正或剔除数字，然后保存。",
        "en": "Add a new reply or review one already stored: check its place and dates, accept, correct or "
              "reject each number, then save.",
    },
    "wb_source": {"zh": "答复来源", "en": "Reply"},
    "wb_source_new": {"zh": "添加新答复", "en": "Add a new reply"},
    "wb_source_existing": {"zh": "审核已有答复", "en": "Review a stored reply"},
    "wb_upload": {"zh": "上传答复文件（.txt 或保存的 .html 网页）", "en": "Upload the reply (.txt, or a saved .html page)"},
    "wb_paste": {"zh": "或粘贴答复全文", "en": "Or paste the reply's text"},
    "wb_read": {"zh": "读取答复", "en": "Read the reply"},
    "wb_no_reply": {"zh": "请上传或粘贴一份答复。", "en": "Upload or paste a reply."},
    "wb_html_note": {
        "zh": "已从网页中提取可见文字（去除脚本与样式）；保存的原始文件即这段文字的 UTF-8 字节。",
        "en": "The page's visible text was taken (scripts and styles dropped); the raw file stored is that text as UTF-8.",
    },
    "wb_record": {"zh": "答复", "en": "Record"},
    "wb_no_records": {"zh": "数据文件夹中还没有答复。", "en": "The data folder holds no reply yet."},
    "wb_metadata": {"zh": "基本信息", "en": "Metadata"},
    "wb_jurisdiction": {"zh": "地区（全国地名库）", "en": "Jurisdiction (national gazetteer)"},
    "wb_jurisdiction_pick": {"zh": "输入名称搜索", "en": "Type a name to search"},
    "wb_level_province": {"zh": "层级：{level}；所属省份：{province}；所属地市：{prefecture}",
                          "en": "Level: {level}; province: {province}; prefecture: {prefecture}"},
    "wb_doc_type": {"zh": "文件类型", "en": "Document type"},
    "wb_date_written": {"zh": "成文日期（YYYY-MM-DD）", "en": "Date written (YYYY-MM-DD)"},
    "wb_date_published": {"zh": "发布日期（YYYY-MM-DD）", "en": "Date published (YYYY-MM-DD)"},
    "wb_why": {"zh": "依据：{note}", "en": "Why: {note}"},
    "wb_unknown": {"zh": "未知：原文中未找到", "en": "Unknown: not found in the text"},
    "wb_text": {"zh": "原文（已标出识别到的数字）", "en": "Text (every drafted number marked)"},
    "wb_facts": {"zh": "数字事实", "en": "Facts"},
    "wb_facts_help": {
        "zh": "勾选“剔除”并写明原因即可剔除；修改任何字段即为更正（原因写在同一列）。",
        "en": "Tick reject and give a reason to reject a fact; change any field to correct it (the reason goes in the same column).",
    },
    "wb_add_fact": {"zh": "补充遗漏的数字", "en": "Add a missing fact"},
    "wb_sentence": {"zh": "句子", "en": "Sentence"},
    "wb_number": {"zh": "句中的数字", "en": "Number in it"},
    "wb_indicator": {"zh": "指标", "en": "Indicator"},
    "wb_value": {"zh": "数值（基本单位）", "en": "Value (base units)"},
    "wb_qualifier": {"zh": "限定词", "en": "Qualifier"},
    "wb_status": {"zh": "状态", "en": "Status"},
    "wb_period_kind": {"zh": "时期类型", "en": "Period kind"},
    "wb_period_end": {"zh": "截至日期或年份", "en": "As of (date or year)"},
    "wb_note": {"zh": "说明", "en": "Note"},
    "wb_add": {"zh": "添加此数字", "en": "Add this fact"},
    "wb_added": {"zh": "补充的数字", "en": "Added facts"},
    "wb_remove_added": {"zh": "移除补充的数字", "en": "Remove added facts"},
    "wb_measures": {"zh": "政策措施", "en": "Measures"},
    "wb_warnings": {"zh": "保存前请注意", "en": "Before saving"},
    "wb_no_warnings": {"zh": "没有需要注意的问题。", "en": "Nothing to look at."},
    "wb_population": {"zh": "人口数据", "en": "Population"},
    "wb_population_missing": {
        "zh": "{name}还没有人口数据：无法计算每万人社会组织数。可在此补充（须注明来源）。",
        "en": "{name} has no population row: computed density not available. Add one here, with its source.",
    },
    "wb_population_more": {
        "zh": "{name}已有人口数据（{base}）。补充年末常住人口等（须注明来源）",
        "en": "{name} has a population ({base}). Add a year-end figure, with its source",
    },
    "wb_population_kind": {"zh": "口径", "en": "Kind"},
    "wb_population_date": {"zh": "日期（YYYY-MM-DD）", "en": "Date (YYYY-MM-DD)"},
    "wb_population_persons": {"zh": "人口（人）", "en": "Population (persons)"},
    "wb_population_source": {"zh": "来源", "en": "Source"},
    "wb_population_add": {"zh": "添加人口数据（随答复一并保存）", "en": "Add the population row (saved with the reply)"},
    "wb_population_staged": {
        "zh": "待保存的人口数据：{row}。点击“保存”时与答复一并写入 population.csv。",
        "en": "Population row to be saved: {row}. Save writes it to population.csv with the reply.",
    },
    "wb_population_drop": {"zh": "移除这条人口数据", "en": "Remove this population row"},
    "wb_reviewer_note": {"zh": "审核备注（可选）", "en": "Reviewer note (optional)"},
    "wb_save": {"zh": "保存", "en": "Save"},
    "wb_saved": {"zh": "已保存 {rid}：{files}。看板已刷新。", "en": "Saved {rid}: {files}. The dashboard picks it up."},
    "wb_curation_preview": {"zh": "将写入的审核文件", "en": "Curation file to be written"},
    "wb_already_stored": {
        "zh": "{name} 与已保存的答复 {rid} 完全相同：已打开该答复及其审核记录。",
        "en": "{name} is the reply already stored as {rid}: it is open for review with its curation.",
    },
    "wb_record_gone": {
        "zh": "答复 {rid} 已从 data/raw 中删除（在本页打开期间）：未保存任何内容。请从列表中选择答复。",
        "en": "{rid} was removed from data/raw while this page showed it: nothing was saved. Choose a record from the list.",
    },
    "wb_file_changed": {
        "zh": "本页打开后，审核文件已被修改：保存时将本页的改动合并进文件现有内容（预览即将写入的内容）。",
        "en": "The curation file was changed since this page opened it: Save merges this page's changes into it as it is "
              "now (the preview shows what will be written).",
    },
    "wb_record_id": {"zh": "记录编号：{rid}", "en": "Record id: {rid}"},
    "wb_summary": {"zh": "本次审核：剔除 {rejected} 条，更正 {corrected} 条，补充 {added} 条，剔除措施 {measures} 条。",
                   "en": "This review: {rejected} rejected, {corrected} corrected, {added} added, {measures} measures rejected."},
})

# --- review state (issue 20): a draft is a number nobody vouched for yet; held-back numbers wait in the workbench ---
# The mark of a draft is app/review.py's: the word below and the open circle ◌ (a dashed underline in the reply text,
# an open marker or a dotted pattern in charts, a footnote mark on slides).
STRINGS.update({
    "draft_word": {"zh": "未审核", "en": "unreviewed"},
    "reviewed_word": {"zh": "已审核", "en": "reviewed"},
    "draft_note": {
        "zh": "◌ 未审核：自动提取、尚无人核对的数字（草稿）",
        "en": "◌ unreviewed: a number the loader drafted and nobody has checked yet",
    },
    "review_none": {"zh": "未审核：尚无人审核此答复", "en": "Unreviewed: nobody has reviewed this reply yet"},
    "review_by": {"zh": "已审核：{by}，{date}", "en": "Reviewed by {by} on {date}"},
    "measures_draft_note": {
        "zh": "◌ 未审核：该答复尚无人审核，其措施为自动识别的草稿",
        "en": "◌ unreviewed: nobody has reviewed the reply yet; its measures are as the loader found them",
    },
    "held_title": {"zh": "待审核（未发布）", "en": "Held back for review (not published)"},
    "held_intro": {
        "zh": "以下数字的含义尚不确定，在有人于审核工作台中确认之前，不会出现在卡片、图表、表格与演示中。",
        "en": "What these numbers count is unsure: until a person accepts them in the review workbench they appear in "
              "no card, chart, table or slide.",
    },
    "reason_unknown": {"zh": "提取程序对这个数字的含义没有把握，请核对", "en": "the loader is unsure what the number counts; check"},
    "confidence_high": {"zh": "高", "en": "high"},
    "confidence_low": {"zh": "低", "en": "low"},
    "confidence_": {"zh": "高", "en": "high"},
    # workbench
    "wb_facts_help": {
        "zh": "待审核的数字（提取程序没有把握）排在最前，并说明原因；每个数字旁是它所在的句子（数字以【】标出）。"
              "勾选“确认”即为该数字担保（待审核的数字只有勾选后才会发布）；勾选“剔除”并在“原因或说明”中写明原因即可剔除；"
              "修改任何字段即为更正（原因写在同一列）。既未确认也未剔除的数字仍是“未审核”草稿。",
        "en": "Numbers held back (the loader is unsure of them) come first, with why; beside each number is its sentence "
              "(the number marked 【】). Tick Accept to vouch for a number (a held-back one is published only when "
              "ticked); tick Reject and give a reason to reject it; change any field to correct it (the reason goes in "
              "the same column). A number neither accepted nor rejected stays an unreviewed draft.",
    },
    "wb_held_col": {"zh": "待审核原因", "en": "held back because"},
    "wb_held_list": {
        "zh": "待审核（未发布）：提取程序对以下 {n} 个数字没有把握，勾选“确认”后才会出现在看板上。",
        "en": "Held back, not published ({n}): the loader is unsure what each number below counts; it reaches the "
              "dashboard only once a person ticks Accept.",
    },
    "wb_reviewer": {"zh": "审核人（确认数字时必填）", "en": "Reviewer (required to accept numbers)"},
    "wb_reviewer_needed": {
        "zh": "已勾选确认 {n} 个数字：请填写审核人姓名，保存时将记录审核人与今天的日期。",
        "en": "Numbers ticked as accepted: {n}. Type the reviewer's name; the save records it with today's date.",
    },
    "wb_summary": {
        "zh": "本次审核：确认 {accepted} 条，剔除 {rejected} 条，更正 {corrected} 条，补充 {added} 条，剔除措施 {measures} 条；"
              "仍待审核 {held} 条。",
        "en": "This review: {accepted} accepted, {rejected} rejected, {corrected} corrected, {added} added, "
              "{measures} measures rejected; {held} still held back.",
    },
})
COLUMNS.update({
    "is_reviewed": ("审核", "Review"),
    "reported_is_reviewed": ("所述密度审核", "Reported density: review"),
    "review": ("审核", "Review"),
    "confidence": ("提取把握", "Confidence"),
    "hold_reason": ("待审核原因", "Held back because"),
    "hold_words": ("原因所据原文", "Words behind the reason"),
    "reviewed_by": ("审核人", "Reviewed by"),
    "reviewed_on": ("审核日期", "Reviewed on"),
})

# --- the workbench in the curator's language (issue 23): headers, choices and suggestions in words --------------
STRINGS.update({
    "wb_col_sentence": {"zh": "原文句子（数字已标出）", "en": "Sentence (the number marked)"},
    "wb_col_accept": {"zh": "确认", "en": "Accept"},
    "wb_col_reject": {"zh": "剔除", "en": "Reject"},
    "wb_col_reason": {"zh": "原因或说明", "en": "Reason or note"},
    "wb_col_category": {"zh": "措施类别", "en": "Measure category"},
    "wb_col_measure_status": {"zh": "已实施/计划", "en": "Done or planned"},
    "wb_col_quote": {"zh": "原文句子", "en": "Sentence"},
    "wb_col_measure_id": {"zh": "措施编号", "en": "Measure ID"},
    "wb_remove_pick": {"zh": "选择要移除的数字", "en": "Choose the numbers to remove"},
    "wb_sentence_pick": {"zh": "选择含有该数字的句子", "en": "Choose the sentence that holds the number"},
    "wb_indicator_pick": {"zh": "请选择指标（不预先选定）", "en": "Choose the indicator (none is chosen for you)"},
    "wb_indicator_needed": {"zh": "请先选择这个数字的指标。", "en": "Choose what the number counts (its indicator) first."},
    "wb_suggested": {
        "zh": "按原文建议：限定词“{qualifier}”，状态“{status}”，时期“{period}”。请核对后再添加。",
        "en": "Suggested from the text: qualifier \u201c{qualifier}\u201d, status \u201c{status}\u201d, period "
              "\u201c{period}\u201d. Check them before adding.",
    },
    "wb_period_start": {"zh": "起始日期或年份", "en": "Start (date or year)"},
    "wb_undecided": {
        "zh": "未决定 {n} 条：既未确认也未剔除的数字不算已确认，仍作为“未审核”草稿（◌）显示在看板上。",
        "en": "Undecided: {n}. A number neither accepted nor rejected is not vouched for: the dashboard shows it as an "
              "unreviewed draft (◌).",
    },
    "wb_open_dashboard": {"zh": "在看板中查看这份答复", "en": "Open this reply on the dashboard"},
    "wb_remove_title": {"zh": "删除这份答复（误添加时）", "en": "Remove this reply (added by mistake)"},
    "wb_remove_help": {
        "zh": "答复原文、审核文件、记录与清单中的一行将移入 data/removed/ 下的文件夹（不会丢失，可放回后重新构建），看板随即不再显示它。",
        "en": "The reply, its curation file, record and manifest line move into a folder under data/removed/ (nothing is "
              "lost: put them back and build to restore it); the dashboard no longer shows it.",
    },
    "wb_remove_confirm": {"zh": "输入记录编号 {rid} 以确认", "en": "Type the record id {rid} to confirm"},
    "wb_remove_button": {"zh": "删除这份答复", "en": "Remove this reply"},
    "wb_removed": {"zh": "已删除 {rid}：{files}。", "en": "Removed {rid}: {files}."},
})

# Reading on any screen: the density and funding charts' view options (kept in the URL), notes below a chart.
STRINGS.update({
    "density_hide_empty": {"zh": "隐藏未提及总数的地区", "en": "Hide places without a figure"},
    "density_sort": {"zh": "按数值从高到低排列", "en": "Sort by value, highest first"},
    "funding_log": {"zh": "对数刻度（小额与大额同样看得清）", "en": "Log scale (small amounts stay visible beside large ones)"},
    "funding_log_note": {"zh": "对数刻度：每一格是前一格的10倍，柱长不与金额成正比",
                         "en": "Log scale: each gridline is ten times the one before; bar lengths are not proportional to amounts"},
    "funding_dropped_count": {"zh": "{n} 笔，逐笔列在图下", "en": "{n} amounts, each listed below the chart"},
})

# --- the reader's experience (issue: about and how to cite, keyboard and contrast) -------------------------------
STRINGS.update({
    "nav_about": {"zh": "关于与引用", "en": "About"},
    "plot_download_png": {"zh": "下载图表（PNG）", "en": "Download the chart (PNG)"},
    "present_keys_short": {"zh": "← → 键翻页", "en": "← → keys"},
    "about_title": {"zh": "关于本看板与引用方式", "en": "About this dashboard and how to cite it"},
    "about_intro": {
        "zh": "本看板把地方民政部门对人大代表建议、政协委员提案的答复逐份整理成可核对的记录，比较各地培育发展社会组织的"
              "数量、密度、资金与政策措施。",
        "en": "This dashboard turns local civil-affairs bureaus' replies to deputies' suggestions and CPPCC proposals into "
              "records that can be checked, and compares how places grow social organisations: their numbers, density, "
              "funding and policy measures.",
    },
    "about_what_head": {"zh": "什么是社会组织", "en": "What social organisations are"},
    "about_what": {
        "zh": "- **社会组织**：依法在民政部门登记的非营利组织，分三类：\n"
              "  - **社会团体**：由会员自愿组成的协会、学会、商会、联合会等；\n"
              "  - **社会服务机构**（原称**民办非企业单位**）：利用非国有资产举办、提供社会服务的民办学校、养老机构、"
              "社工机构等；\n"
              "  - **基金会**：利用捐赠财产从事公益慈善事业的组织。\n"
              "- **社区社会组织**：由社区居民发起、在城乡社区（街道、乡镇、村居）开展为民服务、公益慈善、邻里互助、文体娱乐"
              "等活动的组织。达不到登记条件的，可向街道办事处或乡镇政府**备案**。答复所说的社区社会组织数往往包括备案的"
              "组织，因此可能远多于登记的社会组织数，两者不宜相加或直接比较。",
        "en": "- **Social organisations** (社会组织): non-profit organisations registered with a civil-affairs department, of "
              "three kinds:\n"
              "  - **social associations** (社会团体): membership bodies such as associations, learned societies, chambers "
              "of commerce and federations;\n"
              "  - **social service organisations** (社会服务机构, formerly **private non-enterprise units**, 民办非企业单位): "
              "private schools, care homes, social-work agencies and the like, run on non-state assets;\n"
              "  - **foundations** (基金会): organisations that use donated assets for public-benefit work.\n"
              "- **Community social organisations** (社区社会组织): organisations started by residents that work within an "
              "urban or rural community (street, township, village): services, charity, neighbourly help, culture and "
              "sport. Those below the registration thresholds are **filed** (备案) with the street office or township "
              "instead. A reply's count of them often includes the filed ones, so it can far exceed its count of "
              "registered organisations: the two are neither added nor compared directly.",
    },
    "about_replies_head": {"zh": "答复从哪里来", "en": "Where the replies come from"},
    "about_replies": {
        "zh": "人大代表在人民代表大会会议期间提出**建议**，政协委员提出**提案**；承办的民政局（厅）须在规定期限内书面答复，"
              "许多答复在政府网站公开。本看板收录其中谈培育发展社会组织的答复，原文逐字保存，下表列出全部 {n} 份"
              "（发文机关与日期取自答复本身；点“原文”打开答复）。",
        "en": "Deputies to people's congresses (NPC) make **suggestions** and members of the political consultative "
              "conferences (CPPCC) make **proposals**; the civil-affairs bureau or department that handles one must reply "
              "in writing, and many replies are published on government websites. The dashboard keeps those on growing "
              "social organisations, each stored word for word; the table lists all {n} (issuer and date as the reply "
              "states them; “Evidence” opens the reply).",
    },
    "about_col_place": {"zh": "地区", "en": "Place"},
    "about_col_type": {"zh": "类型", "en": "Kind"},
    "about_col_issuer": {"zh": "发文机关", "en": "Issuer"},
    "about_col_date": {"zh": "日期", "en": "Date"},
    "about_col_title": {"zh": "标题", "en": "Title"},
    "about_check_head": {"zh": "数字如何核对", "en": "How the figures are checked"},
    "about_check": {
        "zh": "- **每个数字都有出处**：卡片、图表、表格和演示中的每个数字都链接到答复原文中说出它的那一句，点击即打开答复并标出该数字。\n"
              "- **已审核与未审核**：有人核对过（确认、更正或补充）的数字为已审核；程序提取、尚无人核对的数字照常显示，但标为"
              "“未审核”草稿（{mark}）。\n"
              "- **暂不发布**：程序没有把握的数字（例如说不清它计的是什么）不进入任何卡片、图表或演示，等人在审核工具中确认；"
              "目前有 {held} 个。\n"
              "- **密度两种算法**：每万人拥有社会组织数既列出答复**所述**的数字，也按2020年第七次全国人口普查常住人口"
              "**重新计算**（登记数 ÷ 普查人口 × 10000）；所述数字用任何已公布人口都算不出来时标 ⚠。",
        "en": "- **Every number has its sentence**: each number on a card, chart, table or slide links to the sentence of "
              "the reply that states it; a click opens the reply with the number marked.\n"
              "- **Reviewed or not**: a number a person checked (accepted, corrected or added) is reviewed; one the program "
              "extracted and nobody has checked yet is shown, marked as an unreviewed draft ({mark}).\n"
              "- **Held back**: a number the program is unsure of (what it counts is unclear, say) reaches no card, chart or "
              "slide until a person accepts it in the review tool; {held} are held back now.\n"
              "- **Density two ways**: organisations per 10,000 residents is shown as the reply **reports** it and "
              "**computed** here on the 2020 census population (registered ÷ census population × 10,000); a reported "
              "figure that no published population reproduces is marked ⚠.",
    },
    "about_version_head": {"zh": "数据版本", "en": "Data version"},
    "about_version": {
        "zh": "- 数据版本：`{version}`（全部表格的 SHA-256 前12位）\n- 最新答复日期：{newest}\n"
              "- 表格生成时间：{time}\n- 答复 {replies} 份，已发布数字 {facts} 个",
        "en": "- Data version: `{version}` (the first 12 digits of the tables' SHA-256)\n- Newest reply: {newest}\n"
              "- Tables written: {time}\n- {replies} replies, {facts} published numbers",
    },
    "about_cite_head": {"zh": "如何引用", "en": "How to cite"},
    "about_cite_intro": {
        "zh": "可复制下面的文字（右上角按钮）；数据版本说明引用的是哪一版数据。",
        "en": "Copy the text below (button at its top right); the data version says which data you cite.",
    },
    "about_citation": {
        "zh": "社会组织培育发展比较（Growing social organisations: a comparison）. 社会组织发展比较看板, 数据版本 {version}"
              "（最新答复 {newest}）, 访问日期 {today}, {url}",
        "en": "Growing social organisations: a comparison (社会组织培育发展比较). Social organisation development "
              "dashboard, data version {version} (newest reply {newest}), accessed {today}, {url}",
    },
    "about_unknown": {"zh": "未说明", "en": "not stated"},
    "about_open_reply": {"zh": "打开答复", "en": "open the reply"},
})

# --- compare: the chart, the years said once, funding rows' units; Sources: the flag beside its fact ---------------
STRINGS.update({
    "cmp_chart_title": {"zh": "主要指标并列（各自的时点）", "en": "Headline figures side by side (each as of its own date)"},
    "cmp_dates_once": {
        "zh": "⚠ 时点不同：{a}的数字截至{da}，{b}的截至{db}，相隔约{years}年；部分差异来自这段时间的增长。"
              "下表中年份与此相同的行不再逐行标注。",
        "en": "⚠ Different dates: {a}'s figures are as of {da} and {b}'s as of {db}, about {years} years apart; part "
              "of the difference is growth over that time. Rows of the same two years are not marked again below.",
    },
    "cmp_row_funding_total": {"zh": "资金：{channel}（所述总额）", "en": "Funding: {channel} (totals as stated)"},
    "cmp_row_funding_mixed": {
        "zh": "资金：{channel}（元/人·年，或所述总额）",
        "en": "Funding: {channel} (yuan per resident per year, or totals as stated)",
    },
    "cmp_default_pair": {
        "zh": "默认显示最可比的两地：共同提及的主要指标最多、行政层级相同、时点最接近。可在上方改选。",
        "en": "Shown first: the two places that compare best (the most headline figures both state, the same level, "
              "the closest dates). Pick others above.",
    },
    "sources_flag": {
        "zh": "⚠ 存疑：{note}",
        "en": "⚠ Flagged: {note}",
    },
})
