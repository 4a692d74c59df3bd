"""Benchmark: precision and recall of the personal-data warnings on a labelled corpus.

    .venv/bin/python bench/bench_privacy.py [--show]

Two corpora of Indonesian sentences, each labelled with the kinds of personal data it holds
(names with and without a title, NIK in every common layout, phone numbers, e-mail addresses,
home addresses) or `-` for look-alikes that are not personal data:
tests/data/data_pribadi.tsv, the one the rules were tuned on, and tests/data/data_pribadi_uji.tsv,
held out (never used to tune them): its figures are the honest estimate for new text.
A (sentence, kind) pair is a true positive when `find_personal_data` reports that kind in that
sentence. --show lists every miss and every false alarm.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "data" / "data_pribadi.tsv"
HELD_OUT = ROOT / "tests" / "data" / "data_pribadi_uji.tsv"

from pipeline.records.privacy import find_personal_data  # noqa: E402


def label(kind: str) -> str:
    """The corpus's name of a warning's kind ("NIK (16 angka)" -> "NIK")."""
    return kind.split(" (")[0]


def corpus(path: Path = CORPUS) -> list[tuple[set[str], str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kinds, text = line.split("\t", 1)
            rows.append(({kind.strip() for kind in kinds.split(",")} - {"-"}, text))
    return rows


def evaluate(rows) -> dict:
    kinds = sorted({kind for expected, _ in rows for kind in expected})
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in kinds}
    misses, alarms = [], []
    for expected, text in rows:
        found = {label(finding.kind) for finding in find_personal_data(text)}
        for kind in found | expected:
            bucket = counts.setdefault(kind, {"tp": 0, "fp": 0, "fn": 0})
            if kind in found and kind in expected:
                bucket["tp"] += 1
            elif kind in found:
                bucket["fp"] += 1
                alarms.append((kind, text))
            else:
                bucket["fn"] += 1
                misses.append((kind, text))
    total = {key: sum(bucket[key] for bucket in counts.values()) for key in ("tp", "fp", "fn")}
    return {"per_kind": counts, "total": total, "misses": misses, "alarms": alarms}


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def precision_recall(counts: dict) -> tuple[float, float]:
    return (ratio(counts["tp"], counts["tp"] + counts["fp"]), ratio(counts["tp"], counts["tp"] + counts["fn"]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args(argv)
    for title, path in (("korpus penyetelan", CORPUS), ("korpus uji (tidak dipakai menyetel)", HELD_OUT)):
        show(title, corpus(path), args.show)
    return 0


def show(title: str, rows, details: bool) -> None:
    result = evaluate(rows)
    print(f"{title}: {len(rows)} kalimat ({sum(1 for expected, _ in rows if not expected)} bukan data pribadi)")
    print(f"{'jenis':<14} {'presisi':>8} {'recall':>8}   tp  fp  fn")
    for kind, counts in sorted(result["per_kind"].items()):
        p, r = precision_recall(counts)
        print(f"{kind:<14} {p:>8.1%} {r:>8.1%}  {counts['tp']:>3} {counts['fp']:>3} {counts['fn']:>3}")
    p, r = precision_recall(result["total"])
    print(f"{'semua':<14} {p:>8.1%} {r:>8.1%}  {result['total']['tp']:>3} {result['total']['fp']:>3} "
          f"{result['total']['fn']:>3}\n")
    if details:
        for kind, text in result["misses"]:
            print(f"TERLEWAT  {kind}: {text}")
        for kind, text in result["alarms"]:
            print(f"SALAH     {kind}: {text}")


if __name__ == "__main__":
    sys.exit(main())
