"""The one loader: the validator, the deadline engine and the site all read complaints here."""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from pipeline.records.policy import POLICY_FILE, Policy, load_policy
from pipeline.records.privacy import personal_data_warnings
from pipeline.records.reportertext import reporter_in_public_text, reporter_word_warnings
from pipeline.records.problems import Problem
from pipeline.records.complaint import Complaint, discover, discover_in, read_complaint
from pipeline.records.source import MAX_FILE_BYTES, SourceError
from pipeline.records.validation import check_unique_ids, checks_without_time, with_time_checks
from pipeline.records.unread import unread_problems


@dataclass
class Loaded:
    root: Path
    policy: Policy | None
    complaints: list = field(default_factory=list)   # valid records only
    problems: list = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def ok(self) -> bool:
        return self.policy is not None and not self.errors


def load(repo: Path, paths: list[Path] | None = None, now: datetime | None = None,
         personal_data: bool = True, memo=None, blob_ids: dict | None = None,
         files: dict | None = None) -> Loaded:
    """Load and validate the policy and the complaints (all of them, or just `paths`).

    With `paths`, the other complaints are still read so that ids stay unique across the
    repository, but only problems of the named files are reported.

    `personal_data=False` leaves out the personal-data warnings: they never decide which records
    are valid, and a reader that only judges deadlines or builds the site need not pay for them
    (about a sixth of the loading time). `check` and the pull-request check show them; the
    site's own guard is the privacy gate, which stops a build whatever the warnings say.

    `memo` (the site build's cache: an object with `get(key)` and `put(key, value)`) remembers
    each file's parsed record, personal-data warnings and the problems that do not depend on `now`
    under its git blob id; what depends on `now` (a time in the future) is checked every time. The caller keys the memo with the policy and the program.
    `blob_ids` ({str(path): blob id} of files whose bytes git's index holds) spares reading a
    file only to learn its key.

    `files` ({name relative to `repo`, with "/": bytes}, regular files only): the policy and
    complaint files of a commit (`evidence.history.committed_files`), read instead of the
    folder's; the records are named as if they were in `repo`.
    """
    repo = Path(repo)
    now = now or datetime.now(timezone.utc)
    policy, problems = load_policy(repo, files)
    result = Loaded(root=repo, policy=policy, problems=problems)
    # as written (a link stays a link, and is refused as one), compared by what they lead to
    chosen = [Path(os.path.abspath(path)) for path in paths] if paths else None
    chosen_real = {path.resolve() for path in chosen} if chosen else set()
    unread: list | None = [] if files is None and paths is None else None
    everything = discover(repo, unread) if files is None else discover_in(files, repo)
    if unread is not None:   # a complaint saved as .md.txt, in a linked folder: said, not lost
        result.problems += unread_problems(repo, unread)
    held = {} if files is None else {path: files[path.relative_to(repo).as_posix()] for path in everything}
    targets = chosen if chosen is not None else everything
    result.files_checked = len(targets) + 1

    records: list[Complaint] = []
    warnings: dict[int, list] = {}
    checked: dict[int, tuple] = {}      # the problems that do not depend on `now`, remembered
    keys: dict[int, tuple] = {}
    for path in targets:
        key = None
        if memo is not None:
            text = str(path)
            known = blob_ids.get(text) if blob_ids else None
            data = held.get(path) if held else None   # (hashing 10,000 paths for an empty dict: 0.01 s)
            key = ((text, known) if known else memo_key(path) if data is None
                   else (text, hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()))
        remembered = memo.get(key) if key is not None else None
        if isinstance(remembered, tuple) and len(remembered) == 3:
            kept, found, checks = remembered
            # kept without its path (unpickling 10,000 paths took 0.06 s a build): the memo's own
            # object stays so (set on it, every shard saved again held its paths once more). A
            # copy of its fields (`dataclasses.replace` took 0.03 s for 10,000)
            record = object.__new__(Complaint)
            record.__dict__.update(vars(kept), path=path)
            checked[id(record)] = checks
            if found is not None:
                warnings[id(record)] = found
        else:
            try:
                record = read_complaint(path, repo, keep_going=True, data=held.get(path))
            except SourceError as err:
                result.problems.append(err.problem)
                continue
            if key is not None and policy is not None:
                if personal_data:
                    warnings[id(record)] = _warnings(record, policy)
                keys[id(record)] = key
        result.problems += record.document.problems  # e.g. a repeated key: the rest is checked too
        records.append(record)
    if policy is None:  # without the policy no record can be judged: say so, not "all valid"
        if records:
            result.problems.append(Problem(
                POLICY_FILE, 1, 1, f"{len(records)} berkas pengaduan belum diperiksa isinya karena "
                "puskesmas.yaml tidak sah.", "Perbaiki puskesmas.yaml dulu, lalu periksa lagi.",
                severity="warning"))
        return result

    for record in records:
        checks = checked.get(id(record))
        if checks is None:
            checks = checks_without_time(record, policy)
            if id(record) in keys:
                memo.put(keys[id(record)], (replace(record, path=None), warnings.get(id(record)), checks))
        result.problems += with_time_checks(record, policy, now, checks)
        if personal_data:  # warnings only: never blocks
            found = warnings.get(id(record))
            result.problems += found if found is not None else _warnings(record, policy)
    others = _read_quietly([path for path in everything if chosen and path.resolve() not in chosen_real], repo, held)
    duplicates = check_unique_ids(others + records)
    named = {record.shown for record in records}
    result.problems += [problem for problem in duplicates if problem.path in named]
    broken = {problem.path for problem in result.problems if problem.is_error}
    result.complaints = [record for record in records if record.shown not in broken]
    return result


def _warnings(record: Complaint, policy: Policy) -> list[Problem]:
    """Personal data in a record's public text (warnings only); not in a field where the
    reporter's own data is an error (a warning there would offer `privasi_diperiksa`)."""
    erred = {problem.field for problem in reporter_in_public_text(record, policy)}
    return [problem for problem in personal_data_warnings(record, policy) + reporter_word_warnings(record)
            if problem.field not in erred]


def memo_key(path: Path | str) -> tuple | None:
    """(path, git blob id) of a regular file small enough to be a record, else None (then the
    reader says what is wrong with it)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        with open(descriptor, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return str(path), hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _read_quietly(paths: list[Path], repo: Path, held: dict) -> list[Complaint]:
    records = []
    for path in paths:
        try:
            records.append(read_complaint(path, repo, data=held.get(path)))
        except SourceError:
            pass  # its own check reports it
    return records
