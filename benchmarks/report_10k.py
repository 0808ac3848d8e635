"""Time render_markdown on a dataset of 10 000 flows (target: under 2 s).

Run: uv run python benchmarks/report_10k.py [--flows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from interview.dataset import parse_dataset
from interview.questionnaire import load_questionnaire
from interview.report import ReportSource, render_html, render_markdown

TARGET_S = 2.0
TREATMENTS = ("recycling", "energy_recovery", "landfill", "reuse", None)
BASES = ("measured", "invoice", "estimated", None)


def dataset(flows: int, seed: int = 10_000):
    """A plausible large company: many inputs, a product, many residual streams."""
    rng = random.Random(seed)
    items = []
    materials = [f"materiaal {i}" for i in range(400)]
    for i in range(flows):
        roll = rng.random()
        material = rng.choice(materials)
        flow = {
            "name": f"stroom {i} | {material}",
            "quantity": round(rng.uniform(1, 5000), 3),  # a number, as JSON has it
            "unit": "kg",
            "material": material,
        }
        basis = rng.choice(BASES)
        if basis:
            flow["basis"] = basis
        if roll < 0.55:
            flow |= {
                "kind": "raw_material",
                "supplier": f"leverancier {i % 97}",
                "cost_eur": round(rng.uniform(1, 900), 2),
            }
        elif roll < 0.65:
            flow["kind"] = "auxiliary"
        elif roll < 0.70:
            flow |= {"kind": "product", "units": rng.randint(1, 500)}
        else:
            flow |= {
                "kind": rng.choice(("waste", "by_product", "wastewater")),
                "processor": f"verwerker {i % 31}",
            }
            treatment = rng.choice(TREATMENTS)
            if treatment:
                flow["treatment"] = treatment
            if rng.random() < 0.5:
                flow["cost_eur"] = round(rng.uniform(1, 200), 2)
        items.append(flow)
    raw = {
        "format": "massabalans/1",
        "company": {"name": "Groot Bedrijf BV", "sector": "metal"},
        "period": "2025",
        "flows": items,
    }
    return parse_dataset(raw)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    source = ReportSource.from_dataset(dataset(args.flows), load_questionnaire())
    prepared = time.perf_counter() - started

    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        text = render_markdown(source, "nl", "report.svg")
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    render_html(source, "nl")
    html_s = time.perf_counter() - started

    best = min(timings)
    print(f"flows: {args.flows}")
    print(f"dataset and balance: {prepared:.2f} s (not timed below)")
    print(
        f"render_markdown: best {best:.2f} s of {args.repeat} "
        f"(all: {', '.join(f'{t:.2f}' for t in timings)}); "
        f"{len(text) / 1e6:.1f} MB of Markdown"
    )
    print(f"render_html: {html_s:.2f} s")
    print(f"target: under {TARGET_S:.0f} s: {'met' if best < TARGET_S else 'MISSED'}")
    return 0 if best < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
