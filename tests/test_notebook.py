"""The exploration notebook runs top to bottom on fresh `extract` output."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from pipeline.writer import write_tables
from tests.conftest import ROOT


@pytest.mark.slow
def test_notebook_executes_on_extract_output(tmp_path, monkeypatch, nlp):
    from pipeline.extract import extract

    out = tmp_path / "out"
    write_tables(extract(ROOT / "corpus", nlp=nlp), out, ["parquet"])
    monkeypatch.setenv("DUTCH_NEWS_OUT", str(out))
    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the timeline plot did not render"
