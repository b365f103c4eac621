"""`python -m benchmarks [NAME-FILTER]`: run every benchmark and print medians."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks.harness import Benchmark, measure


def main(argv: list[str]) -> int:
    wanted = argv[0] if argv else ""
    here = Path(__file__).parent
    missed = 0
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        benches: list[Benchmark] = getattr(module, "BENCHMARKS", [])
        for bench in benches:
            if wanted and wanted not in bench.name:
                continue
            result = measure(bench)
            print(result.line(), flush=True)
            missed += not result.ok
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
