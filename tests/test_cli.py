"""The `shanhai` command as a user runs it."""

import csv
import io
import json
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT, run_cli, run_process, write_csv


def test_counties_default_table():
    r = run_cli("counties")
    assert r.returncode == 0, r.stderr
    assert "景宁畲族自治县" in r.stdout and "26 edition 2021" in r.stdout


@pytest.mark.parametrize("edition, n", [("2021", 26), ("2024", 25)])
def test_counties_csv(edition, n):
    r = run_cli("counties", "--edition", edition, "--format", "csv")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0][:2] == ["code", "name"] and len(rows) == n + 1


def test_counties_all_json():
    r = run_cli("counties", "--all", "--format", "json")
    data = json.loads(r.stdout)
    assert len(data) == 90 and sum(d["member"] for d in data) == 26
    # 上城区, redrawn in 2021: the figure of Hangzhou's own census bulletin, which lists the new districts
    assert data[0]["name"] == "上城区" and data[0]["population_2020"] == 1_323_467


def test_counties_with_a_layer_option(tmp_path):
    f = write_csv(tmp_path / "p.csv", ["山区县", "结对县", "来源", "可信度"], [["景宁", "海盐", "x", "high"]])
    r = run_cli("counties", "--pairings", f, "--format", "json")
    assert r.returncode == 0, r.stderr
    jn = next(d for d in json.loads(r.stdout) if d["code"] == "331127")
    assert jn["partners"] == "海盐县"


def test_pairs():
    r = run_cli("pairs", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 34
    r = run_cli("pairs", "--county", "丽水市景宁畲族自治县")
    assert r.stdout.count("海盐县") == 1 and "2 pairing(s)" in r.stdout
    r = run_cli("pairs", "--county", "三门")
    assert "no sourced partner: 三门县" in r.stdout
    r = run_cli("pairs", "--county", "海盐", "--format", "json")
    assert [d["mountain_county"] for d in json.loads(r.stdout)] == ["景宁畲族自治县"]


def test_unknown_county_message_no_traceback():
    r = run_cli("pairs", "--county", "西糊区")
    assert r.returncode == 2
    assert "Did you mean 西湖区" in r.stderr and "Traceback" not in r.stderr


def test_check_embedded_passes():
    r = run_cli("check")
    assert r.returncode == 0, r.stdout
    assert "0 error(s)" in r.stdout


def test_check_bad_files(tmp_path):
    bad = write_csv(
        tmp_path / "pairs.csv",
        ["山区县", "结对县", "结对年份", "来源"],
        [["景宁", "西糊区", "2016", "x"], ["景宁", "海盐", "20166", "x"]],
    )
    status = write_csv(tmp_path / "s.csv", ["县", "称号", "来源"], [["景宁", "大花园示范县", "x"]])
    r = run_cli("check", bad, status)
    assert r.returncode == 1
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("error")]
    assert len(lines) == 2 and all("pairs.csv, row" in ln and "Fix:" in ln for ln in lines)
    r = run_cli("check", bad, "--format", "json")
    data = json.loads(r.stdout)
    assert data["summary"]["error"] == 2 and data["problems"][0]["file"].endswith("pairs.csv")
    assert run_cli("check", status).returncode == 0


def test_check_undetectable_and_missing(tmp_path):
    odd = write_csv(tmp_path / "odd.csv", ["a", "b"], [["1", "2"]])
    r = run_cli("check", odd, tmp_path / "missing.csv")
    assert r.returncode == 1 and "--pairings" in r.stdout and "no such file" in r.stdout


def test_export_gpkg_layers_for_qgis(tmp_path):
    out = tmp_path / "atlas.gpkg"
    r = run_cli("export", out)
    assert r.returncode == 0, r.stderr
    import pyogrio

    from geo.export import EXPORT_LAYERS

    layers = [name for name, _ in pyogrio.list_layers(out)]
    assert layers == [*EXPORT_LAYERS, "layer_styles"] and "styled for QGIS" in r.stdout
    if shutil.which("ogrinfo"):
        info = subprocess.run(["ogrinfo", "-ro", "-so", str(out)], capture_output=True, text=True).stdout
        for name in EXPORT_LAYERS:
            assert name in info
        assert "EDITION=2021" in info  # the file's own description, as GDAL reads it
    assert not list(tmp_path.glob(".atlas.*"))  # no temporary file left behind


def test_export_refuses_wrong_suffix_and_keeps_existing(tmp_path):
    r = run_cli("export", tmp_path / "atlas.shp")
    assert r.returncode == 2 and ".gpkg" in r.stderr
    target = tmp_path / "atlas.gpkg"
    target.write_bytes(b"keep me")
    bad = write_csv(tmp_path / "p.csv", ["山区县", "结对县"], [["火星", "海盐"]])
    r = run_cli("export", target, "--pairings", bad)
    assert r.returncode == 2 and target.read_bytes() == b"keep me"


def test_python_m_geo_and_help():
    r = run_cli("--help")
    assert r.returncode == 0 and "counties" in r.stdout and "export" in r.stdout
    r = run_cli()
    assert r.returncode == 2


def test_the_entry_point_exit_codes_and_what_it_imports(tmp_path):
    """What only a process of its own shows: ``python -m geo`` runs, its exit statuses
    (0 done, 1 check found errors, 2 a usage or data error) reach the shell, and a command
    that draws nothing imports no renderer."""
    write_csv(tmp_path / "bad.csv", ["山区县", "结对县", "来源"], [["火星", "海盐", "x"]])
    for args, status, said in (
        (["counties", "--format", "csv"], 0, "330127"),
        (["check", tmp_path / "bad.csv"], 1, "'火星' is not a Zhejiang county-level unit"),
        (["map", "overview", "--links"], 2, "--links goes with the"),
        (["no-such-command"], 2, "invalid choice"),
    ):
        r = run_process(*args)
        assert r.returncode == status and said in r.stdout + r.stderr, (args, r.returncode, r.stderr[-300:])
        assert "Traceback" not in r.stderr
    code = "import sys; from geo.commands import main; main(['counties']); print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'folium', 'geopandas')))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout[-300:]


def test_cli_theme_list_matches_the_themes():
    from geo.commands.options import THEMES as CLI_THEMES
    from geo.themes import THEMES

    assert CLI_THEMES == (*THEMES, "atlas")


def test_the_command_process_freezes_what_it_loaded_but_main_leaves_gc_alone():
    # `shanhai` (run) freezes what it loaded and what is left at exit; a program calling
    # main() keeps its collector as it was, and the exit status comes through either way
    probe = "import atexit, gc; atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0, gc.isenabled()))\n"
    as_command = probe + "import sys; sys.argv = ['shanhai', *{args!r}]\nfrom geo.commands import run\nrun()\n"
    as_call = probe + "from geo.commands import main\nraise SystemExit(main({args!r}))\n"
    # a success through the command and a refusal through the call: each path's status and
    # collector, in two processes instead of four
    for code, frozen, args, status in (
        (as_command, "True", ["pairs", "--county", "景宁"], 0),
        (as_call, "False", ["pairs", "--county", "火星"], 2),
    ):
        r = subprocess.run([sys.executable, "-c", code.format(args=args)], capture_output=True, text=True,
                           cwd=ROOT, timeout=300)  # fmt: skip
        assert r.returncode == status, r.stderr
        assert r.stdout.strip().splitlines()[-1] == f"frozen {frozen} True"


def test_the_command_s_thread_and_fork_write_what_main_writes(tmp_path):
    """The profile's map frames on a thread and its further pages in a forked process (only in
    the ``shanhai`` process): the same files, byte for byte, as one process writes them."""
    forked, plain = tmp_path / "forked", tmp_path / "plain"
    r = run_process("profile", "淳安", "--lang", "en", "-o", forked / "ca.png")
    assert r.returncode == 0, r.stderr
    assert run_cli("profile", "淳安", "--lang", "en", "-o", plain / "ca.png").returncode == 0
    names = sorted(p.name for p in forked.iterdir())
    assert len(names) >= 2 and names == sorted(p.name for p in plain.iterdir())
    for n in names:
        assert (forked / n).read_bytes() == (plain / n).read_bytes(), n


def test_process_helpers_are_plain_outside_the_command(monkeypatch):
    from geo.commands import process

    calls = []
    wait = process.in_background(lambda x: calls.append(x) or x * 2, 21)
    assert calls == [21] and wait() == 42  # ran at once: no thread in a program or a test
    assert process.in_two_processes(lambda: calls.append("child"), lambda: calls.append("parent"))
    assert calls == [21, "parent", "child"]
    with pytest.raises(ZeroDivisionError):
        process.in_two_processes(lambda: 1 / 0, lambda: None)  # the child's error as it is

    monkeypatch.setitem(process.COMMAND, "on", True)  # in the command: a thread and a fork
    wait = process.in_background(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        wait()  # raised again in the caller's thread
    assert process.in_background(lambda: "done")() == "done"
    assert process.in_two_processes(lambda: None, lambda: None) is True
    assert process.in_two_processes(lambda: 1 / 0, lambda: None) is False  # the child's status
