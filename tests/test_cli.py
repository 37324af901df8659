"""The ``crmlab`` command line: generate, datasets build/list, bad input, overwrite protection."""
import subprocess
import sys
from pathlib import Path

import pytest

from crmlab import cli
from crmlab.synth import World


def test_generate_writes_one_csv_per_table(tmp_path, capsys):
    out = tmp_path / "w"
    code = cli.main(["generate", "b2b", "--customers", "60", "--seed", "5", "--locale", "zh_CN", "--out", str(out)])
    assert code == 0
    names = sorted(p.stem for p in out.glob("*.csv"))
    assert names == sorted(["accounts", "contacts", "products", "departments", "staff", "opportunities", "stage_history",
                            "orders", "order_lines", "receivables", "service_requests", "truth"])
    world = World.from_csv(out)
    assert world.meta["seed"] == 5 and world.meta["locale"] == "zh_CN" and len(world["accounts"]) == 60


def test_force_is_needed_to_overwrite(tmp_path, capsys):
    args = ["generate", "retail", "--customers", "50", "--seed", "1", "--out", str(tmp_path)]
    assert cli.main(args) == 0
    before = (tmp_path / "transactions.csv").read_bytes()
    other = ["generate", "retail", "--customers", "50", "--seed", "2", "--out", str(tmp_path)]
    assert cli.main(other) == 2
    assert "--force" in capsys.readouterr().err
    assert (tmp_path / "transactions.csv").read_bytes() == before
    assert cli.main(other + ["--force"]) == 0
    assert (tmp_path / "transactions.csv").read_bytes() != before


@pytest.mark.parametrize("change, words", [
    ({"scenario": "shop"}, ["scenario", "'shop'", "'retail', 'b2b'"]),
    ({"--customers": "0"}, ["customers", "0", "[1, 2000000]"]),
    ({"--customers": "ten"}, ["--customers", "'ten'", "whole number"]),
    ({"--seed": "1.5"}, ["--seed", "'1.5'", "whole number"]),
    ({"--locale": "de_DE"}, ["locale", "'de_DE'", "'en_US', 'zh_CN'"]),
    ({"--start": "2025-06-01", "--end": "2024-06-01"}, ["end", "start=2025-06-01"]),
])
def test_bad_input_exits_2_with_a_clear_message(tmp_path, capsys, change, words):
    args = {"scenario": "retail", "--customers": "50", "--seed": "0", "--out": str(tmp_path / "x")}
    args.update(change)
    argv = ["generate", args.pop("scenario")] + [part for item in args.items() for part in item]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for word in words:
        assert word in err
    assert not (tmp_path / "x").exists()


def test_datasets_list_and_check(capsys):
    assert cli.main(["datasets", "list"]) == 0
    listed = capsys.readouterr().out
    assert "retail" in listed and "b2b_zh" in listed
    assert cli.main(["datasets", "build", "--check", "b2b"]) == 0


def test_plugins_register_subcommands(monkeypatch):
    """A module with add_parser(subparsers) and run(args) becomes a subcommand."""
    import types

    plugin = types.ModuleType("crmlab_fake_plugin")
    plugin.add_parser = lambda sub: sub.add_parser("hello").add_argument("--who", default="world")
    plugin.run = lambda args: 7 if args.who == "lab" else 0
    monkeypatch.setitem(sys.modules, "crmlab_fake_plugin", plugin)
    monkeypatch.setattr(cli, "PLUGIN_MODULES", ("crmlab_fake_plugin", "crmlab_not_written_yet"))
    assert cli.main(["hello", "--who", "lab"]) == 7


def test_console_script_runs_without_traceback(tmp_path):
    exe = Path(sys.executable).with_name("crmlab")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "crmlab.cli"]
    done = subprocess.run(command + ["generate", "retail", "--customers", "-3", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "customers" in done.stderr and "-3" in done.stderr and "Traceback" not in done.stderr


def _crmlab(*args, **kw):
    return subprocess.run([sys.executable, "-m", "crmlab", *args], capture_output=True, text=True, timeout=120, **kw)


def test_help_and_version_start_without_the_heavy_imports():
    # Issue 18: `crmlab --help` must not pay for pandas or nbformat -> jsonschema (the grader's imports).
    # Property checked: which modules the process loaded, not a wall time (the machine may be busy).
    done = _crmlab("--help")
    assert all(name in done.stdout for name in ("generate", "datasets", "assign", "grade"))
    check = ("import sys, contextlib, io\nfrom crmlab import cli\n"
             "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
             "    cli.main(['--help'])\n"
             "print(sorted(m for m in ('pandas', 'numpy', 'nbformat', 'jsonschema') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_python_m_crmlab_and_version():
    import crmlab

    done = _crmlab("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"crmlab {crmlab.__version__}"
    done = _crmlab("generate", "retail", "--customers", "-3", "--out", "x")
    assert done.returncode == 2 and "customers" in done.stderr and "Traceback" not in done.stderr


def test_a_plugin_command_still_gets_its_full_parser(capsys):
    with pytest.raises(SystemExit):
        cli.main(["grade", "--help"])
    assert "--timeout-cell" in capsys.readouterr().out
