"""Path and model settings, read from the environment with project defaults."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The folder with the shared data sets: $SHARED_DIR or ../shared beside the checkout."""
    return Path(os.environ.get("SHARED_DIR", PROJECT_ROOT.parent / "shared"))


def conll2002_dir() -> Path:
    """CoNLL-2002 Dutch NER data: $CONLL2002_DIR or <shared>/data/conll2002."""
    env = os.environ.get("CONLL2002_DIR")
    return Path(env) if env else shared_dir() / "data" / "conll2002"


def openfootball_dir() -> Path:
    """openfootball clubs and results: $OPENFOOTBALL_DIR or <shared>/data/openfootball."""
    env = os.environ.get("OPENFOOTBALL_DIR")
    return Path(env) if env else shared_dir() / "data" / "openfootball"
