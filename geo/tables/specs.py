"""The layers' canonical columns and accepted headers (:data:`SPECS`), the confidence scale
they share, and :func:`detect_table_kind`, which guesses a user's table's layer from them."""

from __future__ import annotations

from pathlib import Path

from ..errors import DataSourceError
from ..read import LayerSpec, read_table

CONFIDENCE = ("high", "medium", "low")
#: the confidence as a person may write it in Chinese
CONFIDENCE_ALIASES = {"高": "high", "中": "medium", "低": "low"}

SPECS: dict[str, LayerSpec] = {
    "pairings": LayerSpec(
        "pairings",
        {
            "mountain_code": ("山区县代码", "受援地代码"),
            "mountain_county": ("mountain", "山区县", "山区县(市、区)", "受援地", "受援县", "结对山区县", "山区26县"),
            "partner_code": ("结对县代码", "支援地代码"),
            "partner": (
                "partner_county",
                "结对县",
                "结对县(市、区)",
                "结对地区",
                "结对单位",
                "支援地",
                "支援县",
                "经济强县",
                "结对经济强县(市、区)",
            ),
            "partner_en": ("结对县英文名", "partner (English)"),
            "partner_city_code": ("结对县所属设区市代码",),
            "partner_city": ("所属设区市", "结对县所属设区市", "结对市", "partner city"),
            "since": ("year", "start", "结对年份", "结对时间", "起始年份", "年份"),
            "round": ("轮次", "批次"),
            "round_en": ("轮次（英文）", "round (English)"),
            "confidence": ("可信度", "置信度"),
            "source": ("source_url", "sources", "来源", "出处", "依据"),
            "note": ("notes", "备注", "说明"),
            "note_en": ("备注（英文）", "note (English)"),
        },
        required=(),
        required_any=(("mountain_code", "mountain_county"),),
    ),
    "status": LayerSpec(
        "status",
        {
            "scope": ("范围",),
            "code": ("代码", "行政区划代码", "adcode", "区划代码"),
            "name": ("county", "县", "区县", "县(市、区)", "地区", "名称", "县名"),
            "designation": ("status", "称号", "荣誉", "类型", "示范试点"),
            "designation_en": ("称号（英文）", "designation (English)"),
            "category": ("类别",),
            "level": ("级别", "层级"),
            "state": ("状态",),
            "batch": ("批次",),
            "year": ("年份", "命名年份", "年度"),
            "confidence": ("可信度", "置信度"),
            "source": ("source_url", "sources", "来源", "出处", "依据"),
            "note": ("notes", "备注", "说明"),
            "note_en": ("备注（英文）", "note (English)"),
        },
        required=("designation",),
        required_any=(("code", "name"),),
    ),
    "coverage": LayerSpec(
        "coverage",
        {
            "document": ("doc", "文件", "文件编号", "政策文件"),
            "clause": ("条款", "条", "条款编号"),
            "scope": ("范围",),
            "target": ("county", "code", "县", "区县", "对象", "覆盖对象", "地区"),
            "target_name": ("名称",),
            "title": ("文件名称", "标题"),
            "summary": ("摘要", "内容", "条款内容"),
            "category": ("类别",),
            "note": ("notes", "备注", "说明"),
        },
        required=("document", "clause", "target"),
    ),
    "documents": LayerSpec(
        "documents",
        {
            "document": ("id",),
            "title": ("标题",),
            "title_en": (),
            "short_title": ("简称",),
            "short_title_en": (),
            "issuer": ("发文机关",),
            "issuer_en": (),
            "date": ("日期",),
            "source": (),
            "seed": (),
            "note": (),
        },
        required=("document", "title", "date"),
    ),
    "enclaves": LayerSpec(
        "enclaves",
        {
            "id": ("编号", "飞地编号"),
            "name": ("飞地名称", "enclave"),
            "name_en": ("飞地名称（英文）", "name (English)"),
            "kind": ("飞地类型", "enclave kind"),
            "beneficiary_code": ("受益县代码", "飞出地代码"),
            "beneficiary": ("受益县", "飞出地", "beneficiary county", "飞地所属县"),
            "host_code": ("所在县代码", "飞入地代码"),
            "host": ("所在县", "飞入地", "host county", "飞地所在县"),
            "host_en": ("所在地英文名", "host (English)"),
            "host_city_code": ("所在设区市代码",),
            "host_city": ("所在设区市",),
            "site": ("选址", "所在园区"),
            "site_en": ("选址（英文）", "site (English)"),
            "signed": ("签约年份", "签约"),
            "started": ("开工年份", "开工"),
            "opened": ("启用年份", "开园年份", "投用年份"),
            "status": ("状态", "进展"),
            "scale": ("规模", "面积或投资"),
            "scale_en": ("规模（英文）", "scale (English)"),
            "lon": ("经度", "longitude", "lng"),
            "lat": ("纬度", "latitude"),
            "location_source": ("位置来源", "坐标来源"),
            "confidence": ("可信度", "置信度"),
            "source": ("source_url", "sources", "来源", "出处", "依据"),
            "note": ("notes", "备注", "说明"),
            "note_en": ("备注（英文）", "note (English)"),
        },
        required=("name",),
        required_any=(("beneficiary_code", "beneficiary"), ("host_code", "host")),
    ),
    "sources": LayerSpec(
        "sources",
        {
            "id": ("编号", "来源编号", "source id"),
            "kind": ("类型", "来源类型", "原始出处类型"),
            "issuer": ("发布者", "发文机关", "发布机构", "媒体", "作者", "publisher"),
            "issuer_en": ("发布者（英文）", "issuer (English)"),
            "title": ("标题", "文件名称", "题目"),
            "title_en": ("标题（英文）", "title (English)"),
            "doc_no": ("文号", "document number"),
            "doc_no_en": ("文号（英文）",),
            "date": ("日期", "发布日期", "发文日期"),
            "url": ("网址", "链接", "地址", "address", "link"),
            "read_at": ("阅读处", "转载网址"),
            "quote": ("引文", "原文摘录", "摘录"),
            "note": ("备注", "说明", "notes"),
        },
        required=("id",),
        required_any=(("issuer", "title"),),
    ),
    "clauses": LayerSpec(
        "clauses",
        {"document": (), "clause": (), "category": (), "summary": (), "summary_en": (), "note": ()},
        required=("document", "clause", "summary"),
    ),
}


def detect_table_kind(path) -> str | None:
    """Guess which layer a user's table holds from its headers (None if unclear)."""
    path = Path(path)
    try:
        scores = {}
        for kind in ("pairings", "status", "coverage", "enclaves", "sources"):
            df, problems = read_table(path, SPECS[kind], nrows=200)  # the head tells the kind
            scores[kind] = (
                not any(p.severity == "error" for p in problems),
                sum(df[c].ne("").any() for c in SPECS[kind].columns),
            )
    except DataSourceError:
        return None
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best][0] else None
