"""How the balance's cost grows: load + balance of 1 000, 10 000 and 100 000 flows.

Each size runs in a fresh process, so the peak memory (max RSS) is its own.
A plain Python loop that loads the same JSON and sums its quantities is
timed beside it as the floor. Run: uv run python benchmarks/balance_scale.py
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

SIZES = (1_000, 10_000, 100_000)
KINDS = ("raw_material", "auxiliary", "waste", "product", "by_product", "wastewater")
UNITS = ("kg", "t", "g", "l", "st")


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


CHILD_BALANCE = """
import resource, sys, time
start = time.perf_counter()
from interview.balance import compute
from interview.dataset import load_dataset
imported = time.perf_counter()
balance = compute(load_dataset(sys.argv[1]))
balance.to_json()
done = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{done - imported:.3f} {peak:.0f} {imported - start:.3f}")
"""

CHILD_PLAIN = """
import json, resource, sys, time
start = time.perf_counter()
data = json.loads(open(sys.argv[1]).read())
total = 0.0
for flow in data["flows"]:
    total += float(flow["quantity"])
done = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{done - start:.3f} {peak:.0f}")
"""


def run(code: str, path: Path) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split()


def main() -> None:
    print(
        f"python {sys.version.split()[0]}, {Path('/proc/cpuinfo').exists() and 'Linux'}"
    )
    print(
        f"{'flows':>8} {'balance s':>10} {'peak MB':>8} {'plain loop s':>13} "
        f"{'plain MB':>9} {'ratio':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for count in SIZES:
            path = Path(tmp) / f"flows_{count}.json"
            make_file(path, count)
            seconds, peak, _ = run(CHILD_BALANCE, path)
            plain_s, plain_mb = run(CHILD_PLAIN, path)
            ratio = float(seconds) / max(float(plain_s), 1e-6)
            print(
                f"{count:>8} {seconds:>10} {peak:>8} {plain_s:>13} {plain_mb:>9} "
                f"{ratio:>6.1f}"
            )


if __name__ == "__main__":
    main()
