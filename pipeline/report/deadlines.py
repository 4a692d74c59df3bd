"""SOP deadlines: for every complaint and stage, the due time and whether git shows it was met.

Status of a stage: `met` (done by due), `breached` (done after due), `overdue` (not done and now
is past due), `pending` (not done, not yet due). Stages without a limit (publication, unless the
policy sets one) are tracked through `published_at` but not judged.
"""
from __future__ import annotations

import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from operator import itemgetter
from pathlib import Path

from pipeline.evidence.git import GitError
from pipeline.evidence.history import (Evidence, IncompleteHistory, collect_evidence, commit_time, committed_files,
                                       export_files)
from pipeline.evidence.keptevidence import KeptEvidence, LostEvidence
from pipeline.evidence.stamps import read_proofs
from pipeline.records.loader import Loaded, load
from pipeline.records.policy import POLICY_FILE, Policy, Stage
from pipeline.records.complaint import COMPLAINT_DIR, Complaint
from pipeline.records.timeutil import format_local, iso, local_iso
from pipeline.report.keptjudgment import KeptJudgments
from pipeline.report.plausibility import latest_date, stage_flags
from pipeline.report.workcalendar import WorkCalendar

STATUSES = ("met", "breached", "overdue", "pending")
# Which declared field of a complaint claims the moment each kind of stage evidence proves (the
# claims in a file that git can contradict; publication has none).
CLAIMS = {"recorded_at": ("lapor_tim", "waktu"), "responded_at": ("tanggapan", "waktu")}


@dataclass
class StageResult:
    stage: Stage
    due_at: datetime
    done_at: datetime | None     # proven_at when a timestamp proves it, else claimed_at
    status: str
    due_soon: bool = False   # still open and due before the end of the next working day
    claimed_at: datetime | None = None   # what git shows (the commit's author date)
    proven_at: datetime | None = None    # the earliest valid trusted timestamp of a version holding it
    flags: list = field(default_factory=list)   # plausibility.FLAGS codes; empty: nothing suspicious
    proof_tsa: str | None = None          # which TSA's token proves it

    @property
    def verified(self) -> bool:
        """Nothing casts doubt on its time: only such a stage is shown to the public as on time."""
        return not self.flags


@dataclass
class ComplaintDeadlines:
    complaint: Complaint
    evidence: Evidence   # (of a judgment kept from an earlier build: its `keptjudgment.KeptMoments`)
    _stages: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    memo: dict | None = None   # made from this judgment alone, kept with it (`keptjudgment`)
    _kept: tuple | None = None   # (plain stage rows, stages by id) of a kept judgment, until asked

    @property
    def stages(self) -> list:
        """Its `StageResult`s. A kept judgment's are made when first asked for: after one change at
        10,000, no part of a site build asks for those of the 9,400 judgments it kept."""
        if self._kept is not None:
            rows, stages = self._kept
            self._stages = [StageResult(stages[row[0]], *row[1:7], flags=list(row[7]), proof_tsa=row[8])
                            for row in rows]
            self._kept = None
        return self._stages

    @stages.setter
    def stages(self, results: list) -> None:
        self._stages, self._kept = results, None

    @property
    def due_soon(self) -> list[str]:
        return [result.stage.id for result in self.stages if result.due_soon]


@dataclass
class Report:
    ref: str
    now: datetime
    timezone: str
    complaints: list = field(default_factory=list)   # newest first: received, then id (the site's order)
    judged: bool = True   # False: no git history was read, so no stage is judged (counts only)
    skipped: list = field(default_factory=list)   # invalid complaint files: not judged at all
    policy: Policy | None = None   # the policy the complaints were judged by
    proofs: object = None   # evidence.stamps.Proofs: the verified trusted timestamps (None: no stamp branch)
    now_warning: str | None = None   # why "now" is not the ref's committer date (a date in the future)

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for item in self.complaints:
            for result in item.stages:
                counts[result.status] += 1
        return counts

    def flagged(self) -> int:
        """How many stages have a time that is not verified."""
        return sum(1 for item in self.complaints for result in item.stages if result.flags)


def stage_status(due_at: datetime, done_at: datetime | None, now: datetime) -> str:
    if done_at is not None:
        return "met" if done_at <= due_at else "breached"
    return "overdue" if now > due_at else "pending"


def soon_limit(calendar: WorkCalendar, now: datetime) -> datetime:
    """End of the next working day after today (local): "due within the next working day"."""
    today = now.astimezone(calendar.tz).date()
    next_day = calendar.next_working_day(today)
    return datetime.combine(next_day + timedelta(days=1), time(0), tzinfo=calendar.tz)


def due_times(loaded: Loaded, calendar: WorkCalendar | None = None, kept: dict | None = None) -> dict[str, list[datetime]]:
    """Complaint path -> due time of each stage with a limit (in policy order).

    They depend on the files and the policy only, not on git: `build_report` works them out
    while git is still reading the history. `kept` (the site build's cache, whose key holds the
    policy and the holidays package's version): {(moment received, limits): due times}, read and
    left holding this build's."""
    policy = loaded.policy
    calendar = calendar or WorkCalendar.from_policy(policy)
    limits = tuple(stage.limit_hours for stage in policy.stages if stage.limit_hours is not None)
    found, used, made = {}, {}, 0
    for complaint in loaded.complaints:
        key = (complaint.received_at, limits)
        due = kept.get(key) if kept is not None else None
        if due is None:
            due = [calendar.due(complaint.received_at, hours).astimezone(policy.tz) for hours in limits]
            made += 1
        found[complaint.shown] = used[key] = due
    if kept is not None and (made or len(used) != len(kept)):   # left holding this build's entries only
        kept.clear()
        kept.update(used)
        if isinstance(kept, KeptDueTimes):
            kept.changed = True
    return found


class KeptDueTimes(dict):
    """`due_times`' kept entries, and whether it changed them (the site build saves them only
    then: pickling 10,000 unchanged entries again took 0.07 s of a rebuild)."""
    changed = False


def evaluate(loaded: Loaded, evidence: dict[str, Evidence], now: datetime, ref: str,
             judge: bool = True, due: dict[str, list[datetime]] | None = None, proofs=None,
             kept: KeptJudgments | None = None) -> Report:
    """Judge every valid complaint of `loaded` against the policy's stages.

    With `judge=False` (no history to judge by) the report only lists the complaints. `due` is
    `due_times(loaded)` when the caller has it already. `proofs` (evidence.stamps.Proofs) are the
    verified trusted timestamps: a proven time replaces the time git claims. `kept`: the site
    build's judgments of earlier builds, reused where nothing they depend on changed (and left
    holding this build's)."""
    policy = loaded.policy
    calendar = WorkCalendar.from_policy(policy)
    horizon = soon_limit(calendar, now)
    report = Report(ref=ref, now=now.astimezone(policy.tz), timezone=policy.timezone_name, judged=judge,
                    policy=policy, proofs=proofs)
    order = [stage.evidence for stage in policy.stages]
    # each judged stage with its step's name and the step before it (its time may not precede it)
    judged = [(stage, stage.evidence.removesuffix("_at"), order[index - 1] if index else None)
              for index, stage in enumerate(policy.stages) if stage.limit_hours is not None]
    if judge and due is None:
        due = due_times(loaded, calendar)
    judging = _Judging(policy, now, horizon, judged, proofs, kept)
    ordered = []
    for complaint in loaded.complaints:
        complaint_id = complaint.id
        item = ComplaintDeadlines(complaint, None)
        ordered.append(((complaint.received_at, complaint_id), item))
        if judge:
            judging.judge(item, complaint_id, due[complaint.shown], evidence)
        else:
            item.evidence = evidence.get(complaint_id, Evidence())
    ordered.sort(key=itemgetter(0), reverse=True)
    report.complaints = [item for _, item in ordered]
    return report


def proof_facts(step: str, claimed: datetime | None, versions, responses, proofs) -> tuple | None:
    """All that the trusted timestamps say of a stage (`versions`, `responses`: the blob ids of
    its complaint's versions and of those holding the response): (its earliest proof's time and
    TSA, or None; a token of its versions invalid; one under an unknown CA; one removed). None:
    no stamp branch."""
    if proofs is None:
        return None
    blobs = versions if step == "recorded" else responses if step == "responded" else []
    proof = proofs.earliest(blobs) if claimed is not None else None
    return ((proof.gen_time, proof.tsa) if proof else None, proofs.has_invalid(blobs), proofs.has_unknown(blobs),
            proofs.has_removed(blobs))


class _Judging:
    """Judges one complaint after another for `evaluate`, reusing kept judgments."""

    def __init__(self, policy: Policy, now: datetime, horizon: datetime, judged: list, proofs,
                 kept: KeptJudgments | None):
        self.policy, self.now, self.horizon, self.judged = policy, now, horizon, judged
        self.proofs, self.kept = proofs, kept
        self.stages = {stage.id: stage for stage in policy.stages}
        if kept is not None:
            kept.start(now, horizon, policy.tolerance)

    def facts(self, moments, versions, responses) -> tuple | None:
        """All that the trusted timestamps say of each stage (None: no stamp branch)."""
        return None if self.proofs is None else tuple(
            proof_facts(step, getattr(moments, stage.evidence), versions, responses, self.proofs)
            for stage, step, _ in self.judged)

    def judge(self, item: ComplaintDeadlines, complaint_id: str, due: list[datetime], evidence) -> None:
        complaint, path = item.complaint, str(item.complaint.path)
        kept = self.kept.find(complaint_id, path, self.facts) if self.kept is not None else None
        if kept is not None:   # (its evidence not even read)
            rows, warnings, item.memo, item.evidence = kept
            item._kept = (rows, self.stages)   # (its StageResults made when asked for)
            item.warnings = list(warnings)
            return
        found = item.evidence = evidence.get(complaint_id, Evidence())
        facts = self.facts(found, found.versions, found.responses)
        for index, ((stage, step, before), due_at) in enumerate(zip(self.judged, due)):
            result = _judge_stage(stage, step, before, due_at, complaint, found, self.policy, self.now,
                                  facts[index] if facts else None)
            result.due_soon = result.status == "pending" and due_at <= self.horizon
            item.stages.append(result)
        item.warnings = _contradictions(complaint, found, item.stages, self.policy.tz)
        if self.kept is not None:
            rows = tuple((r.stage.id, r.due_at, r.done_at, r.status, r.due_soon, r.claimed_at, r.proven_at,
                          tuple(r.flags), r.proof_tsa) for r in item.stages)
            shown = [found.times.get(step) for _, step, _ in self.judged]
            item.memo = self.kept.keep(complaint_id, path, facts, found, due,
                                       [latest_date(times) if times is not None else None for times in shown],
                                       rows, list(item.warnings))


def _judge_stage(stage: Stage, step: str, before: str | None, due_at: datetime, complaint: Complaint,
                 found: Evidence, policy: Policy, now: datetime, facts: tuple | None) -> StageResult:
    claimed = getattr(found, stage.evidence)
    proof, invalid, unknown, removed = facts or (None, False, False, False)
    proven, proof_tsa = proof or (None, None)
    flags = stage_flags(claimed=claimed, proven=proven, times=found.times.get(step),
                        received=complaint.received_at, now=now, tolerance=policy.tolerance,
                        previous=getattr(found, before) if before else None, invalid_proof=invalid,
                        unknown_ca=unknown, brought=found.brought.get(step), removed_proof=removed,
                        require_proof=policy.require_stamps)
    done_at = proven or (None if "not_proven" in flags else claimed)
    return StageResult(stage, due_at, done_at, stage_status(due_at, done_at, now), claimed_at=claimed,
                       proven_at=proven, flags=flags, proof_tsa=proof_tsa)


def _contradictions(complaint: Complaint, found: Evidence, stages: list, tz) -> list[str]:
    """Declared times that the git history contradicts (Indonesian, for staff: times as they read them)."""
    warnings = []
    if found.recorded_at is None:
        warnings.append("belum tercatat di git (berkas belum di-commit): tenggat dihitung, "
                        "tetapi belum ada bukti langkah apa pun.")
    elif complaint.received_at > found.recorded_at:
        warnings.append(f"`diterima` ({format_local(complaint.received_at, tz, exact=True)}) lebih lambat daripada "
                        f"commit pertama pengaduan ini ({format_local(found.recorded_at, tz, exact=True)}): periksa "
                        "tanggal, jam dan zona waktunya.")
    for result in stages:
        path = CLAIMS.get(result.stage.evidence) if result.status == "breached" else None
        claimed = complaint.declared_time(path, tz) if path else None   # (read only when it can matter)
        if claimed and claimed <= result.due_at:
            warnings.append(f"`{'.'.join(path)}` menyatakan {format_local(claimed, tz, exact=True)} (tepat waktu), "
                            f"tetapi git baru mencatatnya {format_local(result.done_at, tz, exact=True)}: "
                            f"tahap {result.stage.id} dinilai dari bukti git.")
    return warnings


def to_json(report: Report) -> dict:
    """The contract integrations rely on (see README, "pengaduan deadlines")."""
    tz = report.now.tzinfo
    return {
        "ref": report.ref,
        "now": iso(report.now),
        "timezone": report.timezone,
        "complaints": [{
            "id": item.complaint.id,
            "path": item.complaint.shown,
            "received_at": local_iso(item.complaint.received_at, tz),
            "recorded_at": local_iso(item.evidence.recorded_at, tz),
            "responded_at": local_iso(item.evidence.responded_at, tz),
            "published_at": local_iso(item.evidence.published_at, tz),
            "stages": [{"stage": result.stage.id, "due_at": iso(result.due_at),
                        "done_at": local_iso(result.done_at, tz), "status": result.status,
                        "claimed_at": local_iso(result.claimed_at, tz),
                        "proven_at": local_iso(result.proven_at, tz), "flags": result.flags}
                       for result in item.stages],
            "due_soon": item.due_soon,
            "warnings": item.warnings,
        } for item in report.complaints],
        "summary": report.summary(),
        "flagged": report.flagged(),
        "due_soon": [item.complaint.id for item in report.complaints if item.due_soon],
        "skipped": report.skipped,
    }


def build_report(repo, ref: str = "HEAD", now: datetime | None = None, *, worktree: bool = False,
                 loaded: Loaded | None = None, unproven: bool = False,
                 extra_ca: list | None = None, walk_state: Path | None = None,
                 due_kept: dict | None = None, history: Future | None = None,
                 judgments: KeptJudgments | None = None) -> tuple[Report | None, list]:
    """THE evidence report of `repo` at `ref` and `now`, and the loader's problems. Every deadline
    list, recap figure, site mark, board and open-data row is made from this one report.

    Which files are judged (one rule for every command): the policy and the complaint files
    committed at `ref`. With `worktree`, the files in the folder instead (a file not committed
    yet shows as not recorded), for the commands whose help says so (`deadlines` and `recap`
    without --ref, the site build); `loaded` is those files when the caller has read them already.
    The evidence is always the history of `ref`; trusted timestamps on the stamp branch are
    verified against the policy's TSA CAs and `extra_ca` (PEM paths). A shallow or grafted
    history raises IncompleteHistory, `unproven` or not. `walk_state`: the build cache's file of
    the last walk of the history, so only newer commits are read (the evidence is the same).
    `due_kept`: `due_times`' `kept`. `history`: `read_history(repo, ref, now, unproven, walk_state)`
    already under way (the site build starts it before it loads the files). `judgments`: the site
    build's `KeptJudgments` (see `evaluate`), used when the evidence is read from the kept files.

    `now` None: the committer date of `ref` (two builds of one commit are identical), else the
    clock. Git that cannot be read (not a repository, unknown ref) raises GitError; with
    `unproven`, the report instead lists the complaints and judges no stage (nothing can be proven
    outside a repository or before its first commit), as the site wants.
    """
    repo = Path(repo)
    worktree = worktree or loaded is not None

    due = None
    # git reads the history in its own process while we read the files: both cores work.
    proving = None
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending = history or pool.submit(read_history, repo, ref, now, unproven, walk_state)
        if loaded is None:
            # Personal-data warnings are `check`'s business (and the site's): they judge nothing here.
            files = None if worktree else committed_files(repo, ref, [POLICY_FILE, COMPLAINT_DIR.as_posix()])
            if worktree or files is not None:
                loaded = load(repo, now=now, personal_data=False, files=files)
            else:   # a link or a submodule in `ref`'s tree: read from a checkout-like copy
                with _files_of(repo, ref) as root:
                    loaded = load(root, now=now, personal_data=False)
                    loaded.root = repo   # name the files in the repository
                    for complaint in loaded.complaints:
                        complaint.path = repo / complaint.shown
        if loaded.policy is not None:
            # The tokens' read (git and the kept files in .git/pengaduan/) beside the rest.
            proving = pool.submit(read_proofs, repo, loaded.policy, extra_ca)
            due = due_times(loaded, kept=due_kept)  # git is still reading
        committed, evidence = pending.result()
        if isinstance(evidence, KeptEvidence):   # read here from the files the history's reader kept
            kept = evidence
            if judgments is not None:   # each complaint's evidence named by its file's sha256, read if need be
                evidence, judgments.digests = kept.by_shard(), [digest for _, digest in kept.shards]
            else:
                evidence = kept.load()
                evidence = evidence if evidence is not None else collect_evidence(repo, kept.tip)
        proofs = proving.result() if evidence is not None and proving is not None else None
    if loaded.policy is None:
        return None, loaded.problems
    clock = datetime.now(timezone.utc)
    now_warning = None
    if now is None and committed is not None and committed > clock + loaded.policy.tolerance:
        # The committer date is written by whoever made the commit: one in the future would judge
        # every open stage late ("Selesai terlambat" in June 2027). Only this implausible case
        # leaves the commit's date: the clock is "now", and stages whose commits are dated after
        # it get the flag `future`. A commit dated in the past is still "now" as it was, so two
        # builds of one commit stay identical.
        now_warning = (f"tanggal commit {ref} ({local_iso(committed, loaded.policy.tz)}) ada di masa depan: "
                       f"penilaian memakai jam komputer ({local_iso(clock, loaded.policy.tz)}); periksa "
                       "jam komputer yang membuat commit itu.")
        now = clock
    now = now or committed or clock
    try:
        report = evaluate(loaded, evidence if evidence is not None else {}, now, ref, judge=evidence is not None,
                          due=due, proofs=proofs, kept=judgments)
    except LostEvidence:   # a kept file changed while it was read: the history read again, all judged anew
        judgments.digests = None
        report = evaluate(loaded, collect_evidence(repo, kept.tip), now, ref, due=due, proofs=proofs)
    report.now_warning = now_warning
    report.skipped = sorted({problem.path for problem in loaded.problems
                             if problem.is_error and problem.path != POLICY_FILE})
    return report, loaded.problems


def read_history(repo: Path, ref: str, now: datetime | None, unproven: bool,
                 walk_state: Path | None) -> tuple[datetime | None, dict | None]:
    """`build_report`'s read of the history: (the committer date of `ref` when it is needed,
    the evidence per complaint id, or with `walk_state` the `KeptEvidence` to read it from). With
    `unproven`, (None, None) where git cannot prove anything (no repository, no commit yet)."""
    try:
        committed = commit_time(repo, ref) if now is None or unproven else None
        if unproven and committed is None:
            return None, None
        return committed, collect_evidence(repo, ref, state=walk_state, files=True)
    except IncompleteHistory:
        raise  # a shallow clone would show wrong marks, even on the site: stop
    except GitError:
        if unproven:
            return None, None
        raise


@contextmanager
def _files_of(repo: Path, ref: str):
    """A temporary copy of `ref`'s policy and complaint files."""
    with tempfile.TemporaryDirectory(prefix="pengaduan-ref-") as folder:
        export_files(repo, ref, [POLICY_FILE, COMPLAINT_DIR.as_posix()], Path(folder))
        yield Path(folder)


def stage_marks(report: Report, policy: Policy) -> dict:
    """{complaint id: `complaint_marks`} for the complaint pages; {} when nothing is judged."""
    if not report.judged:
        return {}
    return {item.complaint.id: complaint_marks(item, policy) for item in report.complaints}


def complaint_marks(item: ComplaintDeadlines, policy: Policy) -> dict:
    """{stage id: StageResult or {"waktu": moment}} of one judged complaint: its judged stages,
    plus the time of stages tracked without a deadline (publication)."""
    stages = {result.stage.id: result for result in item.stages}
    for stage in policy.stages:
        moment = getattr(item.evidence, stage.evidence)
        if stage.id not in stages and moment is not None:
            stages[stage.id] = {"waktu": moment}
    return stages
