"""The command line: exit codes, a mixed folder, output files."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.tables import TABLE_NAMES


@pytest.fixture
def mixed_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "date: 2023-03-12\ntitle: Topper\n\nClub Brugge won zondag met 2-1 van Anderlecht. "
        "“We waren beter”, zei trainer Scott Parker.\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "latin.txt").write_bytes(
        "Feyenoord won in De Kuip met 3-0 van Ajax. Één keer.".encode("cp1252")
    )
    return folder


def test_mixed_folder_writes_all_tables_and_exits_1(mixed_folder, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["extract", str(mixed_folder), "--out", str(out), "--quiet"])
    assert code == 1
    for name in TABLE_NAMES:
        assert (out / f"{name}.parquet").exists() and (out / f"{name}.csv").exists()
    articles = pd.read_parquet(out / "articles.parquet").set_index("article_id")
    assert articles["status"].to_dict() == {"binary": "error", "empty": "error", "good": "ok", "latin": "ok"}
    assert "binary" in articles.loc["binary", "error"]
    err = capsys.readouterr().err
    assert "2 ok, 2 failed" in err and "words/s" in err


def test_all_good_exits_0_and_respects_format_and_limit(mixed_folder, tmp_path):
    out = tmp_path / "out"
    assert (
        main(
            [
                "extract",
                str(mixed_folder / "good.txt"),
                str(mixed_folder / "latin.txt"),
                "--out",
                str(out),
                "--format",
                "csv",
                "--limit",
                "1",
                "--quiet",
            ]
        )
        == 0
    )
    assert not list(out.glob("*.parquet"))
    assert len(pd.read_csv(out / "articles.csv")) == 1


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["extract", "does-not-exist/"], id="missing-path"),
        pytest.param(["extract", "corpus", "--format", "xlsx"], id="bad-format"),
        pytest.param(["extract", "corpus", "--model", "nl_core_news_sm"], id="model-not-installed"),
        pytest.param(["extract", "corpus", "--workers", "0"], id="no-workers"),
        pytest.param(["extract", "corpus", "--timeout", "0"], id="zero-timeout"),
        pytest.param(["extract", "corpus", "--resume", "--format", "csv"], id="resume-without-parquet"),
        pytest.param(["extract"], id="no-paths"),
        pytest.param(["frobnicate"], id="unknown-command"),
    ],
)
def test_usage_errors_exit_2(argv, tmp_path, capsys):
    assert main([*argv, "--out", str(tmp_path / "o")] if len(argv) > 1 else argv) == 2
    assert capsys.readouterr().err.strip()


def test_help_exits_0(capsys):
    assert main(["extract", "--help"]) == 0
    assert "--model" in capsys.readouterr().out


def test_missing_input_path_names_it_and_exits_2(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope"), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert f"input path not found: {tmp_path / 'nope'}" in capsys.readouterr().err


def test_workers_resume_and_max_chars(mixed_folder, tmp_path, capsys):
    out = tmp_path / "out"
    (mixed_folder / "long.txt").write_text("Ajax won. " * 200, encoding="utf-8")
    argv = [
        "extract",
        str(mixed_folder),
        "--out",
        str(out),
        "--quiet",
        "--workers",
        "2",
        "--max-chars",
        "1000",
    ]
    assert main(argv) == 1
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    articles = pd.read_parquet(out / "articles.parquet").set_index("article_id")
    assert "too long" in articles.loc["long", "error"] and articles.loc["good", "status"] == "ok"
    capsys.readouterr()
    assert main([*argv, "--resume", "--workers", "1"]) == 1
    assert "(2 reused from the previous run)" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
