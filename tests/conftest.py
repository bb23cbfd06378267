"""Shared fixtures: the shared data folder, the shipped model and the seed article."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.nlp import shipped_model_path
from pipeline.settings import shared_dir

ROOT = Path(__file__).resolve().parent.parent


def require_shared(*parts: str) -> Path:
    """A path under ../shared; skip (or fail in CI, where it must exist) when it is missing."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing in CI; ../shared must be beside the checkout")
        pytest.skip(f"{path} not found: set SHARED_DIR to the shared data folder")
    return path


@pytest.fixture(scope="session")
def nlp():
    """The shipped pipeline, loaded once per test session."""
    from pipeline.nlp import load_nlp

    if not (shipped_model_path() / "config.cfg").exists():
        pytest.fail("the shipped model is missing: run `make model` (it is committed in the repository)")
    return load_nlp()


@pytest.fixture(scope="session")
def seed_text() -> str:
    from pipeline.corpus import read_text_file

    return read_text_file(ROOT / "corpus" / "ancelotti-2022-05.txt").text
