"""The site build's one deadline report.

The report is `deadlines.build_report`'s, as every command's; what is the site's own: "now" is
PENGADUAN_NOW or the committer date of PENGADUAN_REF, and the walk of the history is kept in the
build cache.
"""
from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path

from pipeline.plugin.beside import Beside
from pipeline.records.loader import Loaded
from pipeline.report import deadlines
from pipeline.report.keptjudgment import KeptJudgments

logger = logging.getLogger(__name__)
EVIDENCE_STATE = "evidence-walk.json"   # evidence.walkstate's file in the build cache


def start_history(repo: Path, settings: dict, parallel: bool = False):
    """`site_report`'s read of the history, started before the build loads the files (its
    `result()` is `read_history`'s). `parallel` (a big site): in a forked process, because the
    read is Python's work as much as git's, and in a thread it took the loading's turns at the
    lock (0.5 s of CPU at 10,000 complaints; its result comes back in 0.05 s). Else in a thread:
    git and this reading wait on each other less (0.2 s of a 2 s rebuild at 2,000 complaints)."""
    cache = settings.get("PENGADUAN_CACHE")   # the walk of the history is kept there between builds
    read = partial(deadlines.read_history, Path(repo), settings.get("PENGADUAN_REF") or "HEAD",
                   settings.get("PENGADUAN_NOW"), True, Path(cache) / EVIDENCE_STATE if cache else None)
    if parallel:
        return Beside(read)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history")
    try:
        return pool.submit(read)
    finally:
        pool.shutdown(wait=False)   # (the thread ends with its one read)


def site_report(loaded: Loaded, settings: dict, history: Future | Beside | None = None,
                build_cache=None, judgments: KeptJudgments | None = None) -> deadlines.Report:
    """The one deadline report of a site build: the complaint pages' marks, the recap, the board
    and the open data all read it, so the git history is read once per build.

    The files are the folder's (`loaded`, what `pengaduan build` says it builds), the evidence the
    history of PENGADUAN_REF (default HEAD). "Now" is PENGADUAN_NOW, else the committer date of
    that ref, so two builds of the same commit are identical. Outside a git repository (or before
    the first commit) nothing can be proven: the report lists the complaints and judges no stage.
    `history`: `start_history`'s. `build_cache`: the `plugin.cache.BuildCache`, where the
    due times of earlier builds are kept (`deadlines.due_times`); `judgments`: its
    `keptjudgment.KeptJudgments` (the caller saves them once it has added what it remembers).
    """
    repo = Path(settings.get("PENGADUAN_REPO") or loaded.root)
    cache = settings.get("PENGADUAN_CACHE")   # the walk of the history is kept there between builds
    due_kept = deadlines.KeptDueTimes(build_cache.load("due")) if build_cache is not None else None
    report, _ = deadlines.build_report(repo, settings.get("PENGADUAN_REF") or "HEAD", settings.get("PENGADUAN_NOW"),
                                       loaded=loaded, unproven=True,
                                       walk_state=Path(cache) / EVIDENCE_STATE if cache else None, due_kept=due_kept,
                                       history=history, judgments=judgments)
    if due_kept is not None and due_kept.changed:
        build_cache.save("due", dict(due_kept))
    if report is not None and report.now_warning:
        logger.warning("%s", report.now_warning)
    return report
