"""How the balance's cost grows: `massabalans balance FILE --json` on 1 000,
10 000 and 100 000 flows, against a plain Python loop over the same file, and
the balance alone (load, validate, compute; no interpreter start) in-process.

Each run is its own process, so its peak memory (max RSS) is its own; each
figure is the best of three runs, after one run that warms the disk cache.
The runs may write Python's bytecode cache (PYTHONDONTWRITEBYTECODE is
cleared for them), as an installed program has its bytecode compiled.
Run: uv run python benchmarks/balance_scale.py
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (1_000, 10_000, 100_000)
RUNS = 3
KINDS = ("raw_material", "auxiliary", "waste", "product", "by_product", "wastewater")
UNITS = ("kg", "t", "g", "l", "st")

INPROCESS = """
import sys, time
from interview.balance import compute
from interview.dataset import load_dataset
start = time.perf_counter()
compute(load_dataset(sys.argv[1])).to_json_bytes()
print(f"{time.perf_counter() - start:.3f}")
"""

PLAIN = """
import json, sys
data = json.loads(open(sys.argv[1]).read())
total = 0.0
for flow in data["flows"]:
    total += float(flow["quantity"])
"""


def make_file(path: Path, count: int) -> None:
    rng = random.Random(count)
    flows = []
    for i in range(count):
        unit = rng.choice(UNITS)
        flow = {
            "name": f"stroom {i}",
            "kind": rng.choice(KINDS),
            "quantity": round(rng.uniform(0, 5000), 2),
            "unit": unit,
            "material": f"materiaal {i % 50}",
        }
        if unit == "l":
            flow["density"] = "0,9 kg/l"
        if unit == "st":
            flow["mass_per_piece"] = "2,5 kg"
        if i % 7 == 0:
            flow["treatment"] = "recycling"
            flow["cost_eur"] = 10
        flows.append(flow)
    path.write_text(
        json.dumps(
            {
                "format": "massabalans/1",
                "company": {"name": "Benchmark BV"},
                "period": "2025",
                "flows": flows,
            }
        )
    )


def timed(command: list[str]) -> tuple[float, float]:
    """Seconds and peak MB of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENV)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest so far: each size is larger than
    # the one before, so the figure is this run's own peak.
    return seconds, max(peak, before) / 1024


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def best(command: list[str]) -> tuple[float, float]:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENV)
    runs = [timed(command) for _ in range(RUNS)]
    return min(s for s, _ in runs), max(m for _, m in runs)


def main() -> None:
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(
        f"{'flows':>8} {'balance s':>10} {'peak MB':>8} {'in-process s':>13} "
        f"{'plain s':>8} {'ratio':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for count in SIZES:
            path = Path(tmp) / f"flows_{count}.json"
            make_file(path, count)
            seconds, peak = best(
                [sys.executable, "-m", "interview.cli", "balance", str(path), "--json"]
            )
            plain, _ = best([sys.executable, "-c", PLAIN, str(path)])
            inside = min(
                float(
                    subprocess.run(
                        [sys.executable, "-c", INPROCESS, str(path)],
                        check=True,
                        capture_output=True,
                        text=True,
                        env=ENV,
                    ).stdout
                )
                for _ in range(RUNS)
            )
            print(
                f"{count:>8} {seconds:>10.2f} {peak:>8.0f} {inside:>13.2f} "
                f"{plain:>8.2f} {seconds / plain:>6.1f}"
            )


if __name__ == "__main__":
    main()
