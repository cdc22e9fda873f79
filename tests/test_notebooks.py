"""The analyst notebooks run top to bottom on the embedded data, offline."""

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_notebooks_stripped():
    assert [p.name for p in NOTEBOOKS] == [
        "01_quickstart.ipynb",
        "02_your_own_data.ipynb",
        "03_policy_coverage.ipynb",
        "04_report_figures.ipynb",
        "05_indicators.ipynb",
        "06_is_the_gap_closing.ipynb",
    ]
    for p in NOTEBOOKS:
        nb = nbformat.read(p, as_version=4)
        assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code"), p


@pytest.fixture(scope="module")
def kernel():
    """One Python kernel for the notebooks of this run: each notebook starts with the
    namespace reset and its own folder, so it still runs top to bottom on its own; only the
    libraries' imports are shared (a kernel each cost its start-up and imports again)."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    yield km
    km.shutdown_kernel(now=True)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path, kernel):
    nb = nbformat.read(path, as_version=4)
    fresh = f"%reset -f\nimport os\nos.chdir({str(tmp_path)!r})\n%matplotlib inline"
    nb.cells.insert(0, nbformat.v4.new_code_cell(fresh))
    client = NotebookClient(nb, timeout=600, km=kernel)
    client.execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    if path.stem == "02_your_own_data":
        report = next(c for c in nb.cells if "report = pd.DataFrame" in c.source)
        html = "".join(o.get("data", {}).get("text/html", "") for o in report.outputs)
        assert "西糊区" in html and "西湖区" in html  # the misspelt name and its suggestion
    if path.stem == "06_is_the_gap_closing":
        made_up = [c for c in nb.cells if c.cell_type == "markdown" and "MADE UP" in c.source]
        assert made_up and (tmp_path / "income_trend.png").stat().st_size > 20_000
