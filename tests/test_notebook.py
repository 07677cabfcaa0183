"""The walkthrough notebook runs from top to bottom, and is committed without outputs."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_notebooks_are_committed_without_outputs():
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


def test_walkthrough_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOCONFLICT_NOTEBOOK_OUT", str(tmp_path))
    nb = nbformat.read(NOTEBOOKS / "walkthrough.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    shown = [o.get("data", {}).get("text/html", "") for o in outputs]
    assert any("<th>query</th>" in h and "Panjgur" in h and "Musakhel" in h for h in shown)  # the resolver
    assert any("<th>mention</th>" in h and "Pelvarabad" in h for h in shown)  # the unresolved table
    assert any("<th>killed</th>" in h and "<th>actor</th>" in h for h in shown)  # an extraction
    assert any("Events per month" in h for h in shown)  # the time map's chart under its slider
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    assert sum("<iframe" in o["data"]["text/html"] for o in html) >= 2  # maps displayed inline
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the figure, not "<Figure size ...>"
    warnings = [o["text"] for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not any("Warning" in text for text in warnings), warnings  # e.g. tqdm's "IProgress not found"
    for name in ("choropleth.html", "timeline.html", "points.html", "small-multiples.png", "incidents.html"):
        assert (tmp_path / name).stat().st_size > 0
    # The incidents section: six reports make two incidents, the Khuzdar raid's marker lists its four reports.
    assert "4 reports: " in (tmp_path / "incidents.html").read_text(encoding="utf-8")
    text = [o.get("text", "") for o in outputs if o.get("output_type") == "stream"]
    assert any("matched=2, only_ours=0, only_acled=1" in t for t in text)
