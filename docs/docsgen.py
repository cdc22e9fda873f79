"""What the documentation site generates from the code, so that it cannot drift from it:

- the CLI reference, from the argparse parsers (``geo.commands.build_parser``): the text of
  every ``--help``;
- the API reference, one page per public name of ``geo.__all__`` (its implementation's
  numpy-style docstring, rendered by mkdocstrings), plus the objects they return;
- the gallery, rendered by the very commands it shows;
- the notebooks, executed at build time (never stored with outputs).

Used by ``docs/hooks.py`` (the MkDocs hooks) and by ``tests/test_docs.py``; it imports no
MkDocs, so the tests of the CLI and API text run without the docs extra.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import io
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------
# the public API
# ---------------------------------------------------------------------------------------

#: the sections of the API reference, in order; a public name not listed here lands in "More"
API_GROUPS = {
    "Load": ["load_atlas", "get_registry", "load_indicator", "division_changes"],
    "Maps": ["render_static", "render_html", "render_timeline", "use_cjk_font"],
    "Analysis": ["county_record", "designations_in_force", "timeline", "pair_gaps"],
    "Products": ["export_gpkg", "write_report", "write_slides"],
}
#: the headings of the API reference in the Chinese edition (the English ones are the keys)
API_WORDS_ZH = {
    "Load": "载入",
    "Maps": "地图",
    "Analysis": "分析",
    "Products": "成品",
    "More": "其他",
    "Errors": "错误",
    "Returned objects": "返回的对象",
    "Saving": "保存",
    "Overview": "概览",
}
#: the error classes share one page
ERRORS_PAGE = "errors"
#: documented beside ``geo.__all__``: what the public functions return, and how to save a map
EXTRA_OBJECTS = {
    "Returned objects": [
        "geo.atlas.Atlas",
        "geo.county.CountyRecord",
        "geo.indicators.Indicator",
        "geo.registry.Registry",
    ],
    "Saving": ["geo.static.save_static", "geo.html.save_html"],
}


@dataclass
class PublicName:
    """One name of ``geo.__all__`` and where its documentation lives."""

    name: str
    target: str  # the dotted path of the object documented (the implementation)
    kind: str  # function, class, data

    @property
    def page(self) -> str:
        if self.kind == "class" and _is_error(self.target):
            return f"api/{ERRORS_PAGE}.md"
        if self.kind == "data":
            return "api/index.md"
        return f"api/{self.name}.md"

    def obj(self):
        return resolve(self.target)


def resolve(dotted: str):
    """The object at ``dotted`` (``geo.atlas.load_atlas``)."""
    module, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def _is_error(dotted: str) -> bool:
    obj = resolve(dotted)
    return inspect.isclass(obj) and (issubclass(obj, Exception) or dotted.startswith("geo.errors."))


def public_api() -> list[PublicName]:
    """Every name of ``geo.__all__`` with the object its documentation is read from.

    A public function that ``geo`` looks up on first use (``geo._LAZY``) is documented where
    it lives; so are the names imported at the top of ``geo/__init__.py``.
    """
    import geo

    tree = ast.parse((ROOT / "geo" / "__init__.py").read_text(encoding="utf-8"))
    lazy, imported = {}, {}
    for name, spec in geo._LAZY.items():
        module, _, attr = spec.partition(":")
        lazy[name] = f"geo.{module}.{attr or name}"
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            for alias in node.names:
                imported[alias.asname or alias.name] = f"geo.{node.module}.{alias.name}"
    out = []
    for name in geo.__all__:
        target = lazy.get(name) or imported.get(name)
        if target is None:
            out.append(PublicName(name, f"geo.{name}", "data" if not callable(getattr(geo, name)) else "function"))
            continue
        obj = resolve(target)
        kind = "class" if inspect.isclass(obj) else "function" if callable(obj) else "data"
        out.append(PublicName(name, target, kind))
    return out


def documented_objects() -> dict[str, str]:
    """Every name a docstring may refer to, mapped to the anchor of its documentation
    (the implementation's dotted path, which is the id mkdocstrings gives its heading)."""
    anchors = {}
    for p in public_api():
        if p.kind == "data":
            continue
        anchors[p.target] = p.target
        anchors[f"geo.{p.name}"] = p.target
        anchors.setdefault(p.name, p.target)
        anchors.setdefault(p.target.rsplit(".", 1)[1], p.target)
    for targets in EXTRA_OBJECTS.values():
        for t in targets:
            anchors[t] = t
            anchors.setdefault(t.rsplit(".", 1)[1], t)
    return anchors


_ROLE = re.compile(r":(?:func|class|meth|attr|mod|data|exc|obj):`(~?)([^`]+)`")


def roles_to_markdown(text: str, anchors: dict[str, str] | None = None) -> str:
    """Sphinx roles (``:func:`geo.load_atlas```) as Markdown: a cross-reference (autorefs)
    when the target is documented on the site, else inline code."""
    anchors = documented_objects() if anchors is None else anchors

    def one(m):
        short, target = m.group(1), m.group(2).strip()
        shown = target.rsplit(".", 1)[-1] if short else target.lstrip(".")
        anchor = anchors.get(target) or anchors.get("geo." + target.lstrip("."))
        return f"[`{shown}`][{anchor}]" if anchor else f"`{shown}`"

    return _ROLE.sub(one, text)


def docstring_problems(obj, name: str) -> list[str]:
    """What a public object's docstring lacks for the API reference (numpy style): a
    docstring; for a function, a ``Parameters`` section naming every parameter and a
    ``Returns`` section; for a class, every ``__init__`` parameter named under
    ``Parameters`` or ``Attributes``."""
    doc = inspect.getdoc(obj) or ""
    if not doc.strip():
        return [f"{name}: no docstring"]
    sections = _numpy_sections(doc)
    problems = []
    if inspect.isclass(obj):
        try:
            params = [p for p in inspect.signature(obj).parameters.values()]
        except (TypeError, ValueError):  # an exception class without its own __init__
            params = []
        text = sections.get("Parameters", "") + sections.get("Attributes", "")
        missing = [p.name for p in params if not re.search(rf"\b{re.escape(p.name)}\b", text)]
        if missing:
            problems.append(f"{name}: no Parameters/Attributes entry for {', '.join(missing)}")
        return problems
    params = [p for n, p in inspect.signature(obj).parameters.items() if n != "self"]
    if params:
        if "Parameters" not in sections:
            problems.append(f"{name}: no Parameters section")
        else:
            missing = [p.name for p in params if not re.search(rf"\b{re.escape(p.name)}\b", sections["Parameters"])]
            if missing:
                problems.append(f"{name}: the Parameters section does not name {', '.join(missing)}")
    if "Returns" not in sections and "Yields" not in sections:
        problems.append(f"{name}: no Returns section")
    return problems


def _numpy_sections(doc: str) -> dict[str, str]:
    """The numpy-style sections of a docstring: heading -> body."""
    lines = doc.splitlines()
    out, current = {}, None
    for i, line in enumerate(lines):
        underline = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and re.fullmatch(r"-{3,}", underline.strip()) and len(underline.strip()) >= len(line.strip()):
            current = line.strip()
            out[current] = ""
        elif current and not re.fullmatch(r"-{3,}", line.strip()):
            out[current] += line + "\n"
    return out


def _summary(obj) -> str:
    doc = inspect.getdoc(obj) or ""
    first = doc.split("\n\n")[0].replace("\n", " ").strip()
    return roles_to_markdown(first).replace("|", "\\|")


def api_pages(lang: str = "en") -> dict[str, str]:
    """The Markdown of every API page, by path under the docs folder, for the edition in
    ``lang``: the docstrings are English in both; the Chinese edition's headings and the
    words around them are Chinese."""
    import geo

    zh = lang == "zh"

    def word(text):
        return API_WORDS_ZH.get(text, text) if zh else text

    def english(text):  # a docstring's words, marked as English on a Chinese page
        return f'<span lang="en">{text}</span>' if zh else text

    api = public_api()
    by_name = {p.name: p for p in api}
    grouped = {g: [by_name[n] for n in names if n in by_name] for g, names in API_GROUPS.items()}
    listed = {n for names in API_GROUPS.values() for n in names}
    more = [p for p in api if p.kind == "function" and p.name not in listed]
    if more:
        grouped["More"] = more
    errors = [p for p in api if p.kind == "class"]

    index = [
        "# API 参考" if zh else "# API reference",
        "",
        _API_INTRO[lang],
        "",
        _VERSION[lang].format(geo.__version__),
        "",
    ]
    what_does, what_is = ("作用", "是什么") if zh else ("what it does", "what it is")
    name = "名称" if zh else "name"
    for group, names in [*grouped.items(), ("Errors", errors)]:
        index += [f"## {word(group)}", "", f"| {name} | {what_does} |", "|---|---|"]
        for p in names:
            link = p.page.removeprefix("api/") + ("" if p.page.endswith(f"/{p.name}.md") else f"#{p.target}")
            index.append(f"| [`geo.{p.name}`]({link}) | {english(_summary(p.obj()))} |")
        index.append("")
    for group, targets in EXTRA_OBJECTS.items():
        slug = _slug(group)
        index += [f"## {word(group)}", "", f"| {name} | {what_is} |", "|---|---|"]
        for t in targets:
            index.append(f"| [`{t}`]({slug}.md#{t}) | {english(_summary(resolve(t)))} |")
        index.append("")

    pages = {"api/index.md": "\n".join(index)}
    opts = "    options:\n      heading_level: 1\n      show_root_heading: true\n"
    for p in api:
        if p.kind == "function":
            pages[p.page] = f'::: {p.target}\n{opts}      heading: "geo.{p.name}"\n'
    err = [f"# {word('Errors')}", "", _ERRORS_INTRO[lang], ""]
    for p in errors:
        err += [f"::: {p.target}", "    options:", f'      heading: "geo.{p.name}"', ""]
    pages[f"api/{ERRORS_PAGE}.md"] = "\n".join(err)
    for group, targets in EXTRA_OBJECTS.items():
        body = [f"# {word(group)}", "", _EXTRA_INTRO[lang][group], ""]
        for t in targets:
            body += [f"::: {t}", ""]
        pages[f"api/{_slug(group)}.md"] = "\n".join(body)
    return pages


_API_INTRO = {
    "en": "Everything below is `import geo` away: the names of `geo.__all__`, each documented "
    "where it lives (`geo` imports a function's module on its first use, so `import geo` "
    "stays light and `help(geo.load_atlas)` shows the real signature).",
    "zh": "以下各项只需 `import geo` 即可使用：`geo.__all__` 中的每个名称，在其定义处说明"
    "（`geo` 在函数首次使用时才导入其模块，因此 `import geo` 很轻，`help(geo.load_atlas)` "
    "显示真实的签名）。各项说明取自代码的文档字符串，为英文。",
}
_VERSION = {"en": "`geo.__version__` is `{}`.", "zh": "`geo.__version__` 为 `{}`。"}
_ERRORS_INTRO = {
    "en": "Every error shanhai-atlas raises is a `geo.GeoError`; its message names the file, the row "
    "or county, what is wrong and how to fix it. The command line prints it as `error: …` "
    "(exit status 2), never as a traceback. In Python a message names the parameter to change, "
    "as Python writes it (`` `width_cm=3` cm: give a width between 5 and 60 cm. ``); the command "
    "line says the same with its flag (`--width 3 cm: …`).",
    "zh": "shanhai-atlas 抛出的错误都是 `geo.GeoError`；错误信息指明文件、行或县，说明问题所在及修正方法。"
    "命令行将其输出为 `错误：…`（英文环境下为 `error: …`；退出状态 2），不显示回溯。在 Python 中，信息按 Python 的写法指明要修改的参数"
    "（`` `width_cm=3` cm: give a width between 5 and 60 cm. ``）；命令行则以对应的选项说明（`--width 3 cm: …`）。"
    "信息的语言随 `geo.messages_in`、`--lang`、`SHANHAI_LANG` 或系统区域设置而定。",
}
_EXTRA_INTRO = {
    "en": {
        "Returned objects": "What the public functions return. They are not imported by `import geo`; "
        "you get them from `geo.load_atlas`, `geo.county_record`, `geo.load_indicator` and `geo.get_registry`.",
        "Saving": "Write a figure or a page to a file atomically (beside the target, then renamed), "
        "as the command line does.",
    },
    "zh": {
        "Returned objects": "公共函数返回的对象。`import geo` 不导入它们；"
        "它们由 `geo.load_atlas`、`geo.county_record`、`geo.load_indicator` 和 `geo.get_registry` 返回。",
        "Saving": "以原子方式将图或页面写入文件（先写在目标旁边，再改名），与命令行的做法相同。",
    },
}


def api_nav() -> list:
    """The API section of the navigation: the overview, then one entry per page."""
    api = public_api()
    nav = [{"Overview": "api/index.md"}]
    order = [n for names in API_GROUPS.values() for n in names]
    functions = sorted(
        (p for p in api if p.kind == "function"), key=lambda p: (order.index(p.name) if p.name in order else 99, p.name)
    )
    nav += [{f"geo.{p.name}": p.page} for p in functions]
    nav.append({"Errors": f"api/{ERRORS_PAGE}.md"})
    nav += [{group: f"api/{_slug(group)}.md"} for group in EXTRA_OBJECTS]
    return nav


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ---------------------------------------------------------------------------------------
# the CLI reference
# ---------------------------------------------------------------------------------------

#: the terminal width the reference is formatted for (``COLUMNS``)
HELP_COLUMNS = 100


@contextlib.contextmanager
def _columns(n: int):
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(n)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old


@contextlib.contextmanager
def _speaking(lang: str | None):
    """The command's words in ``lang`` (its help and argparse's own words), as
    ``shanhai --lang LANG … --help`` prints them; ``None``: as the environment chooses."""
    from geo.catalog import messages_in
    from geo.commands.language import argparse_words

    with messages_in(lang), argparse_words():
        yield


def cli_help(lang: str | None = None) -> dict[str, str]:
    """``shanhai --help`` and ``shanhai COMMAND --help`` for every command, as printed on a
    terminal ``HELP_COLUMNS`` wide, in the order ``shanhai --help`` lists them, in ``lang``
    (zh or en; ``None``: the language of the environment)."""
    import argparse

    from geo.commands import build_parser

    with _columns(HELP_COLUMNS), _speaking(lang):
        parser = build_parser()
        out = {"": parser.format_help()}
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        for choice in sub._choices_actions:
            out[choice.dest] = sub.choices[choice.dest].format_help()
    return out


def cli_summaries(lang: str | None = None) -> dict[str, str]:
    """The one-line help of every command, in ``lang``."""
    import argparse

    from geo.commands import build_parser

    with _speaking(lang):
        parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {c.dest: c.help or "" for c in sub._choices_actions}


_CLI_INTRO = {
    "en": [
        "# Command line",
        "",
        "`shanhai` (or `python -m geo`) with one command. This page is generated from the "
        "command's own parsers when the documentation is built: each block is exactly what "
        f"`shanhai COMMAND --help` prints on a terminal {HELP_COLUMNS} columns wide "
        "(in English: `--lang en`, `SHANHAI_LANG=en` or an English locale).",
        "",
        "Exit status: 0 done, 1 `check` found errors, 2 a usage or data error (`error: …`), "
        "3 a bug (rerun with `SHANHAI_DEBUG=1` for the traceback), 130 interrupted.",
        "",
        "| command | what it does |",
    ],
    "zh": [
        "# 命令行",
        "",
        "`shanhai`（或 `python -m geo`）加一个命令。本页在构建文档时由命令自身的参数解析器生成："
        f"每段文字都与 `shanhai COMMAND --help` 在 {HELP_COLUMNS} 列宽的终端上输出的完全相同"
        "（中文：`--lang zh`、`SHANHAI_LANG=zh` 或中文区域设置）。",
        "",
        "退出状态：0 完成；1 `check` 发现错误；2 用法或数据错误（`错误：…`）；"
        "3 程序缺陷（设 `SHANHAI_DEBUG=1` 重新运行可看到回溯）；130 被中断。",
        "",
        "| 命令 | 作用 |",
    ],
}


def cli_markdown(lang: str = "en") -> str:
    """The CLI reference page of the edition in ``lang``: the help in that language."""
    helps = cli_help(lang)
    summaries = cli_summaries(lang)
    lines = [*_CLI_INTRO[lang], "|---|---|"]
    lines += [f"| [`shanhai {c}`](#shanhai-{c}) | {summaries[c].replace('|', chr(92) + '|')} |" for c in summaries]
    lines += ["", "## shanhai", "", "```text", helps[""].rstrip(), "```", ""]
    stop = "。" if lang == "zh" else "."
    for command in summaries:
        summary = summaries[command].rstrip("。.")
        lines += [f"## shanhai {command} {{ #shanhai-{command} }}", "", summary + stop, ""]
        lines += ["```text", helps[command].rstrip(), "```", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# the gallery
# ---------------------------------------------------------------------------------------

#: what each theme shows, for the gallery's captions
THEME_NOTES = {
    "overview": "The 26 mountain counties by city, their partners outlined.",
    "pairing": "Curved arrows from each mountain county to its partners, coloured by the partner's city; "
    "dashed when the confidence is low.",
    "policy": "Counties classed by the number of policy clauses that target them.",
    "status": "Designations (ecological, tourism, …) held by each county.",
    "change": "The editions of the list compared: kept, only in 2021, only in later editions.",
    "indicator": "Any numeric column keyed by county as a classed map; here the built-in 2020 population density.",
    "atlas": "Every theme on one page, switched with one control (HTML only).",
}
#: the same in Chinese (the Chinese edition's gallery shows the Chinese maps)
THEME_NOTES_ZH = {
    "overview": "山区26县按设区市着色，勾出其结对县。",
    "pairing": "由每个山区县指向其结对县的弧形箭头，按结对县所属设区市着色；可信度低时为虚线。",
    "policy": "按针对各县的政策条款数量分级。",
    "status": "各县获得的示范、试点称号（生态、旅游……）。",
    "change": "各版名单的比较：保留的、仅见于2021年版的、仅见于后来各版的。",
    "indicator": "任何按县编制的数值列都可绘成分级地图；此处为内置的2020年人口密度。",
    "atlas": "所有专题合成一页，用一个控件切换（仅 HTML）。",
}
THEME_TITLES_ZH = {
    "overview": "总览",
    "pairing": "结对关系",
    "policy": "政策覆盖",
    "status": "示范与试点",
    "change": "名单变化",
    "indicator": "指标",
    "atlas": "图集",
}
LANGS = {"zh": "Chinese", "en": "English"}
#: the resolution of the gallery's PNGs (the command line's default is 300 dpi, for print)
GALLERY_DPI = 150
THUMB_WIDTH = 480


@dataclass
class Shot:
    """One gallery entry: the commands that make it and the files they write."""

    key: str
    title: str
    note: str
    lang: str
    commands: list[list[str]] = field(default_factory=list)
    png: str | None = None  # the full picture (the thumbnail is made from it)
    html: str | None = None  # the live page
    python: str | None = None  # a Python snippet instead of a command (the book's cover)


def gallery_shots() -> list[Shot]:
    """Every theme in Chinese and English, a profile page, the book's cover."""
    from geo.commands.options import THEMES

    shots = []
    for theme in THEMES:
        for lang in LANGS:
            suffix = "" if lang == "zh" else "-en"
            extra = ["--column", "density"] if theme == "indicator" else []
            words = ["--lang", lang] if lang != "zh" else []
            if lang == "zh":
                s = Shot(theme, THEME_TITLES_ZH[theme], THEME_NOTES_ZH[theme], lang)
            else:
                s = Shot(f"{theme}-en", theme.capitalize(), THEME_NOTES[theme], lang)
            if theme != "atlas":
                s.png = f"{theme}{suffix}.png"
                s.commands.append(["map", theme, *extra, *words, "--dpi", str(GALLERY_DPI), "-o", s.png])
            s.html = f"{theme}{suffix}.html"
            s.commands.append(["map", theme, *extra, *words, "-o", s.html])
            shots.append(s)
    for lang in LANGS:
        suffix = "" if lang == "zh" else "-en"
        words = ["--lang", lang] if lang != "zh" else []
        if lang == "zh":
            s = Shot("profile-jingning", "一县一图", "一个县的 A4 简介页：景宁。", lang)
        else:
            s = Shot("profile-jingning-en", "Profile (一县一图)", "One county's A4 profile: 景宁 (Jingning).", lang)
        s.png = f"profile-jingning{suffix}.png"
        s.html = f"profile-jingning{suffix}.html"
        s.commands = [["profile", "景宁", *words, "-o", s.png], ["profile", "景宁", *words, "-o", s.html]]
        shots.append(s)
        if lang == "zh":
            c = Shot("book-cover", "图册封面", "`shanhai book` 的第1页：所有简介装订成册。", lang)
        else:
            c = Shot("book-cover-en", "The book's cover", "Page 1 of `shanhai book`: every profile bound.", lang)
        c.png = f"book-cover{suffix}.png"
        c.commands = [["book", *words, "-o", f"book{suffix}.pdf"]]
        c.python = (
            "import geo\nfrom geo.products.book import cover_page\nfrom geo.static import save_static\n\n"
            f'save_static(cover_page(geo.load_atlas(), lang="{lang}"), "{c.png}", dpi={GALLERY_DPI})'
        )
        shots.append(c)
    return shots


def command_text(argv: list[str]) -> str:
    """A command as a person types it."""
    import shlex

    return "shanhai " + " ".join(shlex.quote(a) for a in argv)


def _missing(shot: Shot, out: Path) -> list[list[str]]:
    """The commands of ``shot`` whose file is not in ``out`` yet (the book's cover: its
    snippet's, as ``["python"]``)."""
    if shot.python:
        return [] if (out / shot.png).exists() else [["python"]]
    return [argv for argv in shot.commands if not (out / argv[argv.index("-o") + 1]).exists()]


def _run_shot(shot: Shot, out: Path) -> list[str]:
    """Make what is missing of one gallery entry in ``out`` (run in a worker process): run
    its commands there (the book's cover is drawn by the function the book uses), then make
    the thumbnail."""
    from geo.commands import main

    os.chdir(out)
    for argv in _missing(shot, out):
        if shot.python:  # the book's cover alone: the snippet the card shows, as it stands
            exec(compile(shot.python, f"<gallery {shot.key}>", "exec"), {})
            continue
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
            status = main(argv)
        if status != 0:
            raise RuntimeError(f"{command_text(argv)} failed ({status}): {err.getvalue()}")
    if shot.png and not (out / "thumbs" / shot.png).exists():
        thumb(out / shot.png, out / "thumbs" / shot.png)
    return [shot.key]


def thumb(src: Path, dst: Path, width: int = THUMB_WIDTH) -> tuple[int, int]:
    """A smaller copy of a PNG for the gallery's grid; returns its size."""
    from PIL import Image

    dst.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(src) as im:
        im = im.convert("RGB")
        h = round(im.height * width / im.width)
        small = im.resize((width, h), Image.LANCZOS)
        # 256 colours: a third of the bytes, and a map's flat fills lose nothing visible
        small.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(dst, optimize=True)
    return width, h


def more_pages(shot: Shot, out: Path) -> list[str]:
    """The pages after the first that a command wrote (a profile runs to two or three)."""
    if not shot.png:
        return []
    stem = shot.png.removesuffix(".png")
    found = [p.name for p in out.glob(f"{stem}-*.png") if p.stem.removeprefix(stem + "-").isdigit()]
    return sorted(found, key=lambda n: int(n.removesuffix(".png").rsplit("-", 1)[1]))


_GALLERY_WORDS = {
    "en": {
        "title": "Gallery",
        "intro": "Every theme, a county profile and the book's cover, in English, made "
        "when this documentation was built, from the embedded layers, by the commands shown "
        "under each picture. Click a picture for the full PNG "
        f"({GALLERY_DPI} dpi here; the commands write 300 dpi by default), or open the live "
        "page: the HTML pages carry Leaflet and the data inline and work offline. "
        "The Chinese edition of this page (the language switch, top right) shows the same maps in Chinese.",
        "thumbnail": "{title}, thumbnail",
        "full": "full PNG",
        "page": "page {n}",
        "live": "live page",
        "alone": "The picture above is that page alone:",
    },
    "zh": {
        "title": "图库",
        "intro": "各专题地图、一县一图的简介页和图册封面（中文），均在构建本文档时由内置图层、"
        "用每张图下方所示的命令生成。点击图片可看完整的 PNG"
        f"（此处为 {GALLERY_DPI} dpi；命令默认输出 300 dpi），或打开交互页面："
        "HTML 页面内嵌 Leaflet 与数据，离线可用。本页的英文版（右上角切换语言）展示同样的英文地图。",
        "thumbnail": "{title}（缩略图）",
        "full": "完整 PNG",
        "page": "第{n}页",
        "live": "交互页面",
        "alone": "上图即该页本身：",
    },
}


def gallery_markdown(shots: list[Shot], out: Path, lang: str = "en", prefix: str = "gallery/") -> str:
    """The gallery page of the edition in ``lang``: a card per entry in that language with
    its thumbnail (linked to the full PNG), the live page, and the commands that made them."""
    from PIL import Image

    w = _GALLERY_WORDS[lang]
    lines = ["---", "hide:", "  - toc", "---", "", f"# {w['title']}", "", w["intro"], ""]
    lines += ['<div class="grid cards shanhai-gallery" markdown>', ""]
    for s in (s for s in shots if s.lang == lang):
        card = [f"**{s.title}**", "", s.note, ""]
        if s.png:
            with Image.open(out / "thumbs" / s.png) as im:
                width, height = im.size
            alt = w["thumbnail"].format(title=s.title)
            card.insert(
                0, f'[![{alt}]({prefix}thumbs/{s.png}){{ width="{width}" height="{height}" }}]({prefix}{s.png})\n'
            )
        links = []
        if s.png:
            links.append(f"[{w['full']}]({prefix}{s.png})")
        links += [f"[{w['page'].format(n=i)}]({prefix}{p})" for i, p in enumerate(more_pages(s, out), start=2)]
        if s.html:
            links.append(f"[{w['live']}]({prefix}{s.html})")
        if links:
            card += [" · ".join(links), ""]
        card += ["```sh", *(command_text(a) for a in s.commands), "```", ""]
        if s.python:
            card += [w["alone"], "", "```python", s.python, "```", ""]
        lines.append("-   " + "\n    ".join("\n".join(card).splitlines()).rstrip())
        lines.append("")
    lines += ["</div>", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# the glossary
# ---------------------------------------------------------------------------------------

_GLOSSARY_WORDS = {
    "en": {
        "title": "Glossary",
        "intro": "The terms of the atlas in Chinese and the English this site and the tool use for "
        "them, with a note on each. Generated from the catalog (`geo/catalog/glossary.toml`), the "
        "file translators work from.",
        "head": "| Chinese | English | note |",
    },
    "zh": {
        "title": "术语表",
        "intro": "本图集的中文术语、本站与工具所用的英文译法及说明。由词库"
        "（`geo/catalog/glossary.toml`，译者所依据的文件）生成。",
        "head": "| 中文 | 英文 | 说明 |",
    },
}


def glossary_markdown(lang: str = "en") -> str:
    """The glossary page of the edition in ``lang``: every term of ``geo.catalog.glossary()``
    with its Chinese, its English and the note in ``lang``."""
    from geo.catalog import glossary

    terms, _ = glossary()
    w = _GLOSSARY_WORDS[lang]

    def cell(text: str) -> str:
        return " ".join(str(text).split()).replace("|", "\\|")

    lines = [f"# {w['title']}", "", w["intro"], "", w["head"], "|---|---|---|"]
    rows = [(t["zh"], t["en"], t.get(f"note_{lang}", "")) for t in terms.values()]
    if lang == "en":
        rows.sort(key=lambda r: r[1].lower().lstrip("“\"'"))
    lines += [
        f'| <span lang="zh">{cell(zh)}</span> | <span lang="en">{cell(en)}</span> | {cell(note)} |'
        for zh, en, note in rows
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# notebooks
# ---------------------------------------------------------------------------------------


def notebooks() -> list[Path]:
    """The analyst notebooks, in order."""
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def notebook_title(path: Path) -> str:
    """The first heading of a notebook (its title in the navigation)."""
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return re.sub(r"^\d+\s+", "", line[2:].strip())
    return path.stem


#: the notebooks' titles in the Chinese edition's navigation, by file name (their pages are
#: the notebooks as they are); a notebook missing here keeps its own title there
NOTEBOOK_TITLES_ZH = {
    "01_quickstart": "快速上手",
    "02_your_own_data": "使用自己的数据",
    "03_policy_coverage": "政策覆盖",
    "04_report_figures": "报告用图",
    "05_indicators": "指标：把自己的县域统计数据放到图上",
    "06_is_the_gap_closing": "差距在缩小吗？",
}


def nav_translations(lang: str) -> dict[str, str]:
    """The titles of the generated part of the navigation (the API reference's pages, the
    notebooks) in the edition in ``lang``, by their English title."""
    if lang != "zh":
        return {}
    out = {t: API_WORDS_ZH[t] for t in ("Overview", "Errors", *EXTRA_OBJECTS)}
    for p in notebooks():
        if p.stem in NOTEBOOK_TITLES_ZH:
            out[notebook_title(p)] = NOTEBOOK_TITLES_ZH[p.stem]
    return out


def _run_notebook(src: Path, dst: Path, execute: bool) -> list[str]:
    """Copy a notebook to ``dst``, executed (outputs and all) when ``execute``: the cells run
    in a folder of their own beside it, so the files they write stay out of the checkout."""
    if not execute:
        shutil.copyfile(src, dst)
        return [src.name]
    import nbformat
    from nbclient import NotebookClient

    work = dst.parent / "work" / src.stem
    work.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(src, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(work)}})
    with open(work / "kernel.log", "w") as log:  # the kernel's own chatter, kept out of the build's output
        client.execute(stderr=log)
    nbformat.write(nb, dst)
    return [src.name]


def build_generated(work: Path, *, execute: bool = True, jobs: int | None = None, keep: bool = False) -> list[Shot]:
    """Render the gallery into ``work/gallery`` and the notebooks into ``work/notebooks``,
    on a pool of worker processes (the notebooks first: they take longest). With ``keep``,
    what is in ``work`` already stays and only what is missing is made (the pictures a page
    editor made before, or the pages a test run has rendered: a gallery page is the file
    its command writes)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    (work / "gallery" / "thumbs").mkdir(parents=True, exist_ok=True)
    (work / "notebooks").mkdir(parents=True, exist_ok=True)
    shots = gallery_shots()
    gallery = work / "gallery"
    todo_nb = [p for p in notebooks() if not (keep and (work / "notebooks" / p.name).exists())]
    todo = [s for s in shots if _missing(s, gallery) or (s.png and not (gallery / "thumbs" / s.png).exists())]
    if not todo_nb and not todo:
        return shots
    if todo:  # what every worker would otherwise do again: the imports, the embedded atlas
        import mapclassify  # noqa: F401  (the policy and indicator maps' classes: scipy, a second)

        import geo
        import geo.commands  # noqa: F401
        import geo.static  # noqa: F401

        geo.load_atlas()
    jobs = jobs or os.cpu_count() or 1
    with ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as pool:
        futures = [pool.submit(_run_notebook, p, work / "notebooks" / p.name, execute) for p in todo_nb]
        futures += [pool.submit(_run_shot, s, gallery) for s in todo]
        for f in futures:
            f.result()
    return shots
