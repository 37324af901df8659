"""The world writer (issue 18, items 1-2): CSV bytes equal pandas' to_csv, Parquet keeps the world,
all files or none, a world too big for memory refused up front, quiet off a terminal.

Sources: pandas' own ``DataFrame.to_csv`` (the writer used before, a peer computing the expected bytes
independently); SHA-256 of worlds written by that pandas writer before the change (pinned below).
"""
import hashlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import crmlab.synth.writer as writer
from crmlab.synth import TABLES, World, generate
from crmlab.validation import CrmlabInputError


def pandas_csv(frame: pd.DataFrame, spec: dict) -> bytes:
    """What World.to_csv wrote before the change: dates as text, then pandas' to_csv."""
    out = frame.copy()
    for column, kind in spec.items():
        if kind == "date":
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif kind == "datetime":
            out[column] = out[column].dt.strftime("%Y-%m-%d %H:%M:%S")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def ours(frame: pd.DataFrame, spec: dict, chunk_rows: int = writer.CHUNK_ROWS) -> bytes:
    return b"".join(bytes(piece) for piece in writer.csv_chunks(frame, spec, chunk_rows))


@pytest.mark.parametrize("scenario, customers, locale", [("retail", 900, "en_US"), ("retail", 700, "zh_CN"),
                                                         ("b2b", 90, "zh_CN"), ("b2b", 70, "en_US")])
def test_every_table_is_byte_identical_to_pandas(scenario, customers, locale):
    world = generate(scenario, customers, seed=17, locale=locale)
    for name, table in world.tables.items():
        spec = TABLES[scenario][name]
        expected = pandas_csv(table, spec)
        assert ours(table, spec, chunk_rows=333) == expected, name  # chunk seams inside the table
        assert ours(table, spec) == expected, name


def test_edge_values_are_written_as_pandas_writes_them():
    rng = np.random.default_rng(0)
    floats = np.concatenate([
        10.0 ** rng.uniform(-30, 30, 3000) * rng.choice([-1, 1], 3000),
        np.round(rng.uniform(0, 1e6, 1000), 2), np.arange(-50, 50, dtype=float),
        [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-4, 9.999999e-5, 1e13, 1e15, 1e16, 9999999999999998.0,
         0.1 + 0.2, 5e-324, 1.7976931348623157e308, 123456789.123]])
    n = len(floats)
    texts = np.array(["plain", "a,b", 'say "hi"', "", None, "多行\n文本", "cr\rhere", " lead", "逗号，中文",
                      "trail,"], dtype=object)
    frame = pd.DataFrame({
        "f": floats,
        "i": rng.integers(-10**12, 10**12, n),
        "s": pd.array(texts[rng.integers(0, len(texts), n)], dtype="str"),
        "c": pd.Categorical(texts[rng.integers(0, 4, n)], categories=["plain", "a,b", 'say "hi"', ""]),
        "b": rng.random(n) < 0.5,
        "nb": pd.array(np.where(rng.random(n) < 0.2, None, rng.random(n) < 0.5), dtype="boolean"),
        "d": pd.to_datetime(np.where(rng.random(n) < 0.1, None, "2024-02-29")).astype("datetime64[s]"),
        "t": (pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 10**8, n), unit="s")).astype("datetime64[s]"),
    })
    spec = {"f": "float", "i": "int", "s": "str", "c": "category", "b": "bool", "nb": "boolean", "d": "date",
            "t": "datetime"}
    assert ours(frame, spec, chunk_rows=1000) == pandas_csv(frame, spec)


# SHA-256 over (file name, bytes) of the sorted files World.to_csv wrote with pandas' writer, before the change.
PINNED = {
    ("retail", 3000, 11, "en_US"): "ac458807333b2707fa5986a912c11ff839cffeb0bb90739f5eef8fcd4940b65e",
    ("retail", 1500, 3, "zh_CN"): "bba28a6b08ad123dd22b1fe22c49872250fd3858dccaf4e6283a8dca2e3f5d76",
    ("b2b", 200, 5, "zh_CN"): "2c18afef277f2a12c4b7f7970708cd59aa6dc57479e5a1edd81d275ac18b2b02",
    ("b2b", 150, 2, "en_US"): "7028d3c4d4de93ad4fdc5617d65b95f6ebb7d224634c29d6abcaf92aed759a95",
}


@pytest.mark.parametrize("key", list(PINNED))
def test_same_seed_same_bytes_as_before(tmp_path, key):
    scenario, customers, seed, locale = key
    generate(scenario, customers, seed=seed, locale=locale).to_csv(tmp_path / "w")
    digest = hashlib.sha256()
    for path in sorted((tmp_path / "w").iterdir()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    assert digest.hexdigest() == PINNED[key]


def test_parquet_keeps_the_world(tmp_path):
    world = generate("retail", 300, seed=2, locale="zh_CN")
    world.to_parquet(tmp_path / "w")
    assert sorted(p.suffix for p in (tmp_path / "w").iterdir()) == [".json"] + [".parquet"] * 5
    back = World.from_csv(tmp_path / "w")
    for name, table in world.tables.items():
        pd.testing.assert_frame_equal(back[name], table, check_dtype=True)


def test_a_failure_leaves_no_partial_world(tmp_path, monkeypatch):
    world = generate("retail", 200, seed=1)
    calls = []

    def failing(frame, spec, path, progress=None):
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError("disk full")
        path.write_bytes(b"x")

    monkeypatch.setattr(writer, "write_csv", failing)
    with pytest.raises(OSError):
        world.to_csv(tmp_path / "w")
    assert list(tmp_path.iterdir()) == []  # neither the world folder nor the temporary one


def test_force_replaces_the_world_files_and_keeps_the_others(tmp_path):
    target = tmp_path / "w"
    generate("retail", 100, seed=1).to_csv(target)
    (target / "notes.txt").write_text("mine")
    with pytest.raises(CrmlabInputError, match="force"):
        generate("retail", 100, seed=2).to_csv(target)
    generate("retail", 100, seed=2).to_csv(target, force=True)
    assert (target / "notes.txt").read_text() == "mine"
    assert World.from_csv(target).meta["seed"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["w"]


def _cli(args, limit_bytes=None):
    def limit():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return subprocess.run([sys.executable, "-m", "crmlab", *args], capture_output=True, text=True, timeout=300,
                          preexec_fn=limit if limit_bytes else None, env={"CRMLAB_LANGUAGE": "en", "PATH": ""})


def test_a_world_too_big_for_memory_is_refused_up_front(tmp_path):
    # Under a 1.5 GiB address-space limit (ulimit -v), 2,000,000 customers cannot fit: a clear error with
    # the estimate, exit 2, nothing written -- not a MemoryError after minutes.
    done = _cli(["generate", "retail", "--customers", "2000000", "--out", str(tmp_path / "big")], 1536 * 2**20)
    assert done.returncode == 2, done.stderr
    assert "GiB" in done.stderr and "customers" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_parquet_and_quiet_off_a_terminal(tmp_path):
    done = _cli(["generate", "b2b", "--customers", "40", "--format", "parquet", "--out", str(tmp_path / "w")])
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout.count("\n") == 1  # no progress lines when not a terminal
    assert len(list((tmp_path / "w").glob("*.parquet"))) == len(TABLES["b2b"])
    assert World.from_csv(tmp_path / "w").meta["customers"] == 40
    bad = _cli(["generate", "b2b", "--customers", "40", "--format", "xlsx", "--out", str(tmp_path / "x")])
    assert bad.returncode == 2 and "format" in bad.stderr
