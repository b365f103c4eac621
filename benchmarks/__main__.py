"""`python -m benchmarks [NAME-FILTER]`: run every benchmark (or those whose name
holds the filter), a line for each as it finishes, then one table of them all:
name, median, target, baseline, ratio and verdict."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback
from pathlib import Path

from benchmarks.harness import Benchmark, Result, measure, table


def main(argv: list[str]) -> int:
    wanted = argv[0] if argv else ""
    here = Path(__file__).parent
    results: list[Result] = []
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        benches: list[Benchmark] = getattr(module, "BENCHMARKS", [])
        for bench in benches:
            if wanted and wanted not in bench.name:
                continue
            try:
                result = measure(bench)
            except Exception as error:  # one broken benchmark must not hide the others' figures
                traceback.print_exc()
                result = Result.failed(bench, error)
            results.append(result)
            print(result.line(), flush=True)
    print()
    print(table(results))
    missed = sum(not result.ok for result in results)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
