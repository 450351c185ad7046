"""The shipped models and theorem sets are package data: found inside the installed
packages (never from the repository root), so a non-editable `pip install .` runs
`rir eval --theorems micro-test` from any folder."""
import fnmatch
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import lean_env
import rir
from lean_env.theorem_sets import NAMED_SETS
from rir.prover import DEFAULT_MODELS

REPO = Path(__file__).resolve().parents[1]


def _package_data() -> dict[str, list[str]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    return config["tool"]["setuptools"]["package-data"]


def _shipped(path: Path, package) -> bool:
    """Whether `path` lies in `package`'s folder and a package-data pattern takes it."""
    root = Path(package.__file__).parent
    relative = path.relative_to(root).as_posix()  # ValueError: outside the package
    patterns = _package_data()[package.__name__]
    return any(fnmatch.fnmatch(relative, p.replace("**/", "*/")) or fnmatch.fnmatch(relative, p)
               for p in patterns)


@pytest.mark.parametrize("name", sorted(NAMED_SETS))
def test_every_named_theorem_set_is_package_data(name):
    path = NAMED_SETS[name]
    assert path.is_file(), path
    assert _shipped(path, lean_env), f"{path} is not shipped with lean_env"


@pytest.mark.parametrize("mode", sorted(DEFAULT_MODELS))
def test_the_shipped_models_are_package_data(mode):
    folder = DEFAULT_MODELS[mode]
    files = [f for f in folder.iterdir() if f.is_file()]
    assert any(f.name == "model.safetensors" for f in files)
    for f in files:
        assert _shipped(f, rir), f"{f} is not shipped with rir"


def test_no_module_computes_a_path_from_the_repository_root():
    offenders = [str(p.relative_to(REPO)) for folder in ("rir", "lean_env", "search", "training")
                 for p in (REPO / folder).rglob("*.py") if "REPO_ROOT" in p.read_text(encoding="utf-8")]
    assert offenders == []


@pytest.mark.slow
def test_a_non_editable_install_evaluates_micro_test_from_another_folder(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(REPO)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run([str(venv / "bin" / "rir"), "eval", "--theorems", "micro-test",
                          "--num-theorems", "1", "--out", "r.jsonl", "--workers", "0", "--quiet",
                          "--timeout", "5"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    record = (elsewhere / "r.jsonl").read_text().splitlines()
    assert len(record) == 1 and str(venv) in record[0]  # the installed model, not the checkout's
