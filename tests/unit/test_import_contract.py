"""The layers hold: the import contracts of pyproject.toml ([tool.importlinter]) are kept.

Pure rules import the standard library only; core imports no domain package; only the app
factory imports the API; only the seed command imports the demo data; no cycles between packages.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
# Module names that mark a pure module (plain values in, results out): each must be listed.
PURE_NAMES = {"rules", "contracts"}


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _graph():
    return grimp.build_graph("vendor_tracker", include_external_packages=True, cache_dir=None)


def test_import_contracts_are_kept():
    # import-linter's own command, in a fresh interpreter: what `make lint` runs.
    answer = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "0 broken" in answer.stdout


def test_pure_rules_contract_forbids_every_third_party_package_the_app_imports():
    # A new dependency must be forbidden to the pure rules too, or they could import it unseen.
    graph = _graph()
    imported = {
        module.split(".")[0]
        for importer in graph.modules
        if importer.startswith("vendor_tracker")
        for module in graph.find_modules_directly_imported_by(importer)
    }
    third_party = imported - set(sys.stdlib_module_names) - {"vendor_tracker"}
    forbidden = set(_contracts()["pure-rules"]["forbidden_modules"])
    assert third_party, "the graph should see flask, sqlalchemy..."
    assert third_party <= forbidden, f"add to the pure-rules contract: {third_party - forbidden}"


def test_every_rules_and_contracts_module_is_held_to_the_pure_rules_contract():
    graph = _graph()
    named_pure = {
        module
        for module in graph.modules
        if module.startswith("vendor_tracker.") and module.rsplit(".", 1)[1] in PURE_NAMES
    }
    listed = set(_contracts()["pure-rules"]["source_modules"])
    assert named_pure, "rules modules exist"
    assert named_pure <= listed, f"add to the pure-rules contract: {named_pure - listed}"
