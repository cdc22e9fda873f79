"""Excel workbooks a planner can correct: the table layers with Chinese headers, drop-down
lists, a frozen header row and a "说明" sheet; read back with ``--pairings`` etc.

The coded columns (confidence, level, state, category, scopes, the enclaves' kind and status,
the sources' kind) show and offer labels, in Chinese by default (高、中、低; 已命名; 消薄飞地)
or in English: the words of :mod:`geo.codes`, which the readers take back to the codes.

The headers are aliases that :func:`geo.tables.read_table` already accepts, and the layer
sits on the sheet :data:`geo.tables.SHEET_NAMES` names, so a workbook written here and read
back unchanged gives the same layer.
"""

from __future__ import annotations

from pathlib import Path

from ._io import atomic_path, formula_like, refuse_existing
from .codes import codes, label, labels
from .errors import GeoError
from .registry import get_registry
from .sources import embedded_sources
from .tables import SHEET_NAMES, SOURCES_SHEET, read_coverage, read_enclaves, read_pairings, read_status
from .words import display_columns

__all__ = ["LAYERS", "write_template"]


def _cited(confidence_required: str = "") -> list[tuple[str, str, str, str, str]]:
    """The columns every cited layer ends with: confidence (by the rule), source, note (zh, en)."""
    return [
        ("confidence", "可信度", "按来源定：发文机关原文或政府网站为高，主要媒体为中，仅转载为低",
         confidence_required, "下拉"),
        ("source", "来源", "来源编号（见 shanhai sources），或原始出处的网址", "必填", ""),
        ("note", "备注", "写给读者的说明", "", ""),
        ("note_en", "备注（英文）", "说明的英文", "", ""),
    ]  # fmt: skip


#: per layer: canonical column → (Chinese header, what it holds, required, allowed values)
LAYERS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "pairings": [
        ("mountain_code", "山区县代码", "山区县的6位行政区划代码（与名称二选一）", "二选一", ""),
        ("mountain_county", "山区县", "受援的山区县（全称、简称或代码均可）", "二选一", "下拉：90个县级单位"),
        ("partner_code", "结对县代码", "结对县的6位代码；功能区（如绍兴滨海新区）留空", "", ""),
        (
            "partner",
            "结对县",
            "结对的经济强县（市、区）；留空表示没有已查证的结对县",
            "",
            "下拉：90个县级单位，功能区可手填",
        ),
        ("partner_city_code", "结对县所属设区市代码", "4位设区市代码", "", ""),
        ("partner_city", "结对县所属设区市", "功能区必填，用于定位", "功能区必填", "下拉：11个设区市"),
        ("since", "结对年份", "结对起始年份或日期", "", "2021、2021年、二〇二一、2021-07、2021/8/31、2021年8月31日"),
        ("round", "轮次", "结对轮次或说明", "", ""),
        *_cited("有结对县时必填"),
        ("round_en", "轮次（英文）", "轮次的英文（英文页面显示）", "", ""),
        ("partner_en", "结对县英文名", "功能区的英文名（英文页面显示）", "", ""),
    ],
    "coverage": [
        ("document", "文件", "政策文件编号（见 layers/documents.csv）", "必填", ""),
        ("clause", "条款", "条款编号", "必填", ""),
        (
            "scope",
            "范围",
            "对象的范围：县、设区市或名单；留空则按覆盖对象判断",
            "",
            "下拉",
        ),
        ("target", "覆盖对象", "县名或代码、设区市名或代码、名单编号（2021、2024）", "必填", ""),
        ("target_name", "名称", "对象名称（仅供阅读）", "", ""),
        ("note", "备注", "其他说明", "", ""),
    ],
    "status": [
        ("scope", "范围", "县或设区市；留空则按名称判断", "", "下拉"),
        ("code", "代码", "6位县代码或4位设区市代码（与名称二选一）", "二选一", ""),
        ("name", "县", "县名或设区市名", "二选一", "下拉：90个县级单位"),
        ("designation", "称号", "称号或试点的全称", "必填", ""),
        ("category", "类别", "称号类别；留空则按称号自动判断", "", "下拉"),
        ("level", "级别", "国家级、省级或市级", "", "下拉"),
        ("state", "状态", "已命名、拟命名或创建目标；留空为已命名", "", "下拉"),
        ("batch", "批次", "批次号：3 或 第三批", "", ""),
        ("year", "年份", "命名年份", "", "2019、2019年、二〇一九"),
        *_cited(),
        ("designation_en", "称号（英文）", "称号的英文（英文页面显示）", "", ""),
    ],
    "enclaves": [
        ("id", "编号", "飞地编号：小写字母、数字和连字符（可留空）", "", ""),
        ("name", "飞地名称", "来源中的名称", "必填", ""),
        (
            "kind",
            "飞地类型",
            "产业飞地、科创飞地、消薄飞地或其他飞地；留空为其他飞地",
            "",
            "下拉",
        ),
        ("beneficiary_code", "受益县代码", "山区县的6位代码（与名称二选一）", "二选一", ""),
        ("beneficiary", "受益县", "飞地所属的山区县", "二选一", "下拉：90个县级单位"),
        ("host_code", "所在县代码", "飞地所在县（市、区）的6位代码；功能区留空", "二选一", ""),
        (
            "host",
            "所在县",
            "飞地所在的县（市、区）或功能区（如南太湖新区）",
            "二选一",
            "下拉：90个县级单位，功能区可手填",
        ),
        ("host_city_code", "所在设区市代码", "4位设区市代码", "", ""),
        ("host_city", "所在设区市", "功能区必填，用于定位", "功能区必填", "下拉：11个设区市"),
        ("site", "选址", "开发区、园区或镇街", "", ""),
        ("signed", "签约年份", "", "", "2019、2019年"),
        ("started", "开工年份", "", "", "2020"),
        ("opened", "启用年份", "", "", "2021"),
        (
            "status",
            "状态",
            "已签约、在建、已运营或进展不详；留空为进展不详",
            "",
            "下拉",
        ),
        ("scale", "规模", "来源所给的面积或投资（原文）", "", ""),
        ("lon", "经度", "来源所给的选址坐标（WGS84）；没有就留空，图上画在所在县代表点", "", "120.1234"),
        ("lat", "纬度", "同上", "", "30.1234"),
        ("location_source", "位置来源", "填了坐标时必填：给出坐标的来源编号", "有坐标时必填", ""),
        *_cited(),
        ("name_en", "飞地名称（英文）", "名称的英文（英文页面显示）", "", ""),
        ("site_en", "选址（英文）", "选址的英文", "", ""),
        ("scale_en", "规模（英文）", "规模的英文", "", ""),
        ("host_en", "所在地英文名", "功能区的英文名（英文页面显示）", "", ""),
    ],
}
#: drop-down list per canonical column: (column of the hidden list sheet, values, error style)
MAX_ROWS = 2000
LIST_SHEET = "名录"


#: the coded columns: (layer, column) → the field of :mod:`geo.codes` (the sources' sheet as "sources")
CODED = {
    ("pairings", "confidence"): "confidence",
    ("coverage", "scope"): "coverage_scope",
    ("status", "scope"): "status_scope",
    ("status", "category"): "category",
    ("status", "level"): "level",
    ("status", "state"): "state",
    ("status", "confidence"): "confidence",
    ("enclaves", "kind"): "enclave_kind",
    ("enclaves", "status"): "enclave_status",
    ("enclaves", "confidence"): "confidence",
    ("sources", "kind"): "source_kind",
}
#: the sources' kinds a planner chooses from (the others are the atlas's own records')
_SOURCE_KINDS = 4


def _lists(lang: str = "zh") -> dict[str, tuple[str, list[str]]]:
    """Each drop-down's column of the hidden list sheet and its values: the county and city
    names, and the labels of the codes in ``lang``."""
    reg = get_registry()
    return {
        "county": ("A", [c.name for c in reg.counties.values()]),
        "city": ("B", [c.name for c in reg.cities.values()]),
        "confidence": ("C", labels("confidence", lang)),
        "category": ("D", labels("category", lang)),
        "level": ("E", labels("level", lang)),
        "state": ("F", labels("state", lang)),
        "status_scope": ("G", labels("status_scope", lang)),
        "coverage_scope": ("H", labels("coverage_scope", lang)),
        "enclave_kind": ("I", labels("enclave_kind", lang)),
        "enclave_status": ("J", labels("enclave_status", lang)),
        "source_kind": ("K", labels("source_kind", lang)[:_SOURCE_KINDS]),
    }


def _allowed(field: str, lang: str) -> str:
    """The 说明 sheet's words for a coded column: the drop-down's labels, and the codes that
    are accepted too."""
    shown = labels(field, lang)[: _SOURCE_KINDS if field == "source_kind" else None]
    known = list(codes(field))[: len(shown)]
    return "下拉：" + "、".join(shown) + ("" if shown == known else "；也可填 " + "、".join(known))


def _cell(layer: str, column: str, value, lang: str) -> str:
    """A table value as its cell: a code as its label in ``lang`` (no confidence: blank)."""
    field = CODED.get((layer, column))
    if field is None or value is None:
        return _cell_text(value)
    if field == "confidence" and value == "unrated":
        return ""
    return _cell_text(label(field, str(value), lang))


#: (layer, column) → (list, error style: "stop" refuses other values, "warning" allows them)
VALIDATION = {
    ("pairings", "mountain_county"): ("county", "stop"),
    ("pairings", "partner"): ("county", "warning"),  # functional zones are typed in
    ("pairings", "partner_city"): ("city", "stop"),
    ("pairings", "confidence"): ("confidence", "stop"),
    ("status", "name"): ("county", "warning"),  # a city row names a city
    ("status", "category"): ("category", "stop"),
    ("status", "level"): ("level", "stop"),
    ("status", "state"): ("state", "stop"),
    ("status", "confidence"): ("confidence", "stop"),
    ("status", "scope"): ("status_scope", "stop"),
    ("coverage", "scope"): ("coverage_scope", "stop"),
    ("enclaves", "kind"): ("enclave_kind", "stop"),
    ("enclaves", "beneficiary"): ("county", "stop"),
    ("enclaves", "host"): ("county", "warning"),  # functional zones are typed in
    ("enclaves", "host_city"): ("city", "stop"),
    ("enclaves", "status"): ("enclave_status", "stop"),
    ("enclaves", "confidence"): ("confidence", "stop"),
    ("sources", "kind"): ("source_kind", "warning"),  # the atlas's own records have other kinds
}


#: the 来源 sheet: the sources' columns (canonical, Chinese header, what it holds)
SOURCE_COLUMNS = [
    ("id", "编号", "来源编号：小写字母、数字和连字符（如 qingyuan-jiashan-2018）；表中“来源”列引用它"),
    ("issuer", "发布者", "原文的发布机关或媒体（不是转载网站）"),
    ("title", "标题", "原文标题"),
    ("date", "日期", "发布日期：2018-05-10、2018年5月10日、2018-05 或 2018"),
    ("url", "网址", "可读到原文的网址"),
    (
        "kind",
        "类型",
        "原始出处的类型：发文机关原文、政府网站、主要媒体或转载；留空则按网址判断",
    ),
    ("doc_no", "文号", "发文字号（如有）"),
    ("quote", "引文", "支持该事实的原句"),
    ("note", "备注", "说明"),
    ("issuer_en", "发布者（英文）", "发布者的英文（英文页面显示）"),
    ("title_en", "标题（英文）", "标题的英文（英文页面显示）"),
    ("doc_no_en", "文号（英文）", "文号的英文"),
    ("read_at", "阅读处", "实际读到原文的地方（转载网址等）"),
]


def _embedded_table(layer: str, path=None):
    reader = {"pairings": read_pairings, "coverage": read_coverage, "status": read_status, "enclaves": read_enclaves}
    reader = reader[layer]
    return reader(path).raise_for_errors().table


def _text_cells(ws) -> None:
    """Every cell of ``ws`` written as text, never a formula: a value beginning with ``=`` is
    stored as a string (openpyxl would store a formula), and text a spreadsheet could run
    (``= + - @``, tab, CR at the start) is marked as typed with a leading apostrophe (Excel's
    quotePrefix), so it stays text when someone edits the cell."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if formula_like(cell.value):
                    cell.quotePrefix = True


def _cell_text(value) -> str:
    """A table value as cell text; the control characters a workbook cannot hold (the
    readers remove them from files; a caller's table may still have them) become U+FFFD."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return "" if value is None else ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))


def _dropdown(ws, letter: str, header: str, lists: dict, rule: tuple[str, str]) -> None:
    """The drop-down of column ``letter`` of ``ws``: the values of the list sheet's column of
    ``rule``'s list, other values refused ("stop") or allowed after a warning."""
    from openpyxl.worksheet.datavalidation import DataValidation

    list_col, values = lists[rule[0]]
    dv = DataValidation(
        type="list",
        formula1=f"'{LIST_SHEET}'!${list_col}$2:${list_col}${len(values) + 1}",
        allow_blank=True,
        errorStyle=rule[1],
        showErrorMessage=True,
        errorTitle=header,
        error=f"请从下拉列表中选择{header}。" + ("（可保留手填的值）" if rule[1] == "warning" else ""),
    )
    dv.add(f"{letter}2:{letter}{MAX_ROWS}")
    ws.add_data_validation(dv)


def write_template(path, layers=None, tables: dict | None = None, *, force: bool = False, lang: str = "zh") -> Path:
    """Write ``layers`` (default: all four) as an Excel workbook a planner can correct.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write (atomically).
    layers : list of {"pairings", "coverage", "status", "enclaves"}, optional
        Which layers, one sheet each; default all four.
    tables : dict, optional
        Validated tables to write instead of the embedded ones, by layer.
    force : bool
        Replace an existing file (it may hold a planner's corrections: refused by default).
    lang : {"zh", "en"}
        The language of the coded columns' labels, in the cells and the drop-downs (高 or
        high, 已命名 or named); the headers and the 说明 sheet stay Chinese. The readers take
        either language, and the codes, back.

    Every text is stored as text, never as a formula, and reads back as it was written
    (see :func:`_text_cells`).

    Returns
    -------
    Path
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise GeoError(f"{path}: a template is an .xlsx workbook; name the file with .xlsx.")
    refuse_existing(path, force)  # before the work: the planner's corrections stay
    layers = list(layers or LAYERS)
    unknown = [ly for ly in layers if ly not in LAYERS]
    if unknown:
        raise GeoError(f"unknown layer {', '.join(unknown)}: use pairings, coverage, status or enclaves.")
    tables = tables or {}
    if lang not in ("zh", "en"):
        raise GeoError(f"unknown language {lang!r}: use zh or en.")
    wb = Workbook()
    wb.remove(wb.active)
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    lists = _lists(lang)
    for layer in layers:
        table = tables.get(layer)
        if table is None:
            table = _embedded_table(layer)
        ws = wb.create_sheet(SHEET_NAMES[layer])
        cols = LAYERS[layer]
        ws.append([c[1] for c in cols])
        for rec in table[[c[0] for c in cols]].itertuples(index=False):
            ws.append([_cell(layer, c[0], v, lang) for c, v in zip(cols, rec, strict=True)])
        for cell in ws[1]:
            cell.font, cell.fill = head_font, head_fill
            cell.alignment = Alignment(vertical="center")
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for i, (canon, header, *_rest) in enumerate(cols, start=1):
            letter = ws.cell(row=1, column=i).column_letter
            longest = (
                max([display_columns(header)] + [display_columns(v) for v in table[canon]])
                if len(table)
                else display_columns(header)
            )
            ws.column_dimensions[letter].width = min(max(longest + 2, 8), 60)
            rule = VALIDATION.get((layer, canon))
            if rule:
                _dropdown(ws, letter, header, lists, rule)
    # the sources the rows cite: the built-in ones, and room for the planner's own

    src = wb.create_sheet(SOURCES_SHEET)
    src.append([header for _, header, _ in SOURCE_COLUMNS])
    for s in embedded_sources().values():
        src.append([_cell("sources", canon, getattr(s, canon), lang) for canon, _, _ in SOURCE_COLUMNS])
    for cell in src[1]:
        cell.font, cell.fill = head_font, head_fill
    src.freeze_panes = "A2"
    kind_col = [canon for canon, _, _ in SOURCE_COLUMNS].index("kind") + 1
    _dropdown(src, src.cell(row=1, column=kind_col).column_letter, "类型", lists, VALIDATION["sources", "kind"])
    for i, width in enumerate((24, 24, 40, 12, 40, 18, 16, 40, 30, 20, 30, 16, 30), start=1):
        src.column_dimensions[src.cell(row=1, column=i).column_letter].width = width
    # the lists behind the drop-downs, hidden so they are not edited by mistake
    ls = wb.create_sheet(LIST_SHEET)
    names = {"county": "县级单位", "city": "设区市", "confidence": "可信度", "category": "称号类别", "level": "级别",
             "state": "状态", "status_scope": "称号范围", "coverage_scope": "覆盖范围",
             "enclave_kind": "飞地类型", "enclave_status": "飞地状态", "source_kind": "来源类型"}  # fmt: skip
    for key, (col, values) in lists.items():
        ls[f"{col}1"] = names[key]
        for r, v in enumerate(values, start=2):
            ls[f"{col}{r}"] = v
    ls.sheet_state = "hidden"
    # the explanation sheet comes first
    info = wb.create_sheet("说明", 0)
    info.append(["表", "列", "含义", "必填", "可选值 / 格式"])
    for cell in info[1]:
        cell.font, cell.fill = head_font, head_fill
    for layer in layers:
        for canon, header, what, required, allowed in LAYERS[layer]:
            field = CODED.get((layer, canon))
            info.append([SHEET_NAMES[layer], header, what, required, _allowed(field, lang) if field else allowed])
    for canon, header, what in SOURCE_COLUMNS:
        required = "必填" if canon == "id" else ("与标题二选一" if canon in ("issuer", "title") else "")
        field = CODED.get(("sources", canon))
        info.append([SOURCES_SHEET, header, what, required, _allowed(field, lang) if field else ""])
    info.append([])
    info.append(
        ["用法", "", "改好后：shanhai map pairing --pairings 本文件.xlsx（--coverage、--status、--enclaves 同理）；"
         "只加几行时，只留新行并加 --merge（加在内置数据之上）；自己的来源写在“来源”表，行内按编号引用；"
         "shanhai check 本文件.xlsx 列出每个问题。", "", ""]
    )  # fmt: skip
    for letter, width in zip("ABCDE", (10, 22, 60, 14, 50), strict=True):
        info.column_dimensions[letter].width = width
    info.freeze_panes = "A2"
    for ws in wb.worksheets:
        _text_cells(ws)
    with atomic_path(path, force=force) as tmp:
        wb.save(tmp)
    return path
