"""Plausibility flags on real repositories whose dates are set the way a dishonest insider would
(GIT_AUTHOR_DATE, GIT_COMMITTER_DATE): the findings of issue 12, each in every format."""
from __future__ import annotations

import subprocess
import sys

import pytest

from gitrepo import ROOT, GitRepo
from test_deadlines import add, deadlines, one, respond, stages

ID = "ADU-20260105-AAAA"
RECEIVED = "2026-01-05 08:00"
NOW = "2026-02-01T00:00:00+07:00"


@pytest.fixture
def repo(tmp_path):
    return GitRepo(tmp_path / "repo")


def flags(item: dict) -> dict:
    return {stage: entry["flags"] for stage, entry in stages(item).items()}


def test_author_date_set_back_is_flagged(repo):
    # Made on 9 January; author dates set to 5 January.
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00", committer_date="2026-01-09T10:00:00+07:00")
    respond(repo, ID, RECEIVED, "2026-01-05T10:00:00+07:00", committer_date="2026-01-09T10:05:00+07:00")
    item = one(deadlines(repo, NOW), ID)
    assert [entry["status"] for entry in item["stages"]] == ["met", "met"]   # what git claims...
    assert flags(item) == {"lapor_tim": ["author_before_committer"],          # ...is not believed
                           "umpan_balik": ["author_before_committer"]}
    assert stages(item)["lapor_tim"]["claimed_at"] == "2026-01-05T09:00:00+07:00"
    assert stages(item)["lapor_tim"]["proven_at"] is None


def test_honest_commits_have_no_flags(repo):
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00", committer_date="2026-01-05T09:20:00+07:00")
    respond(repo, ID, RECEIVED, "2026-01-06T10:00:00+07:00")
    report = deadlines(repo, NOW)
    assert flags(one(report, ID)) == {"lapor_tim": [], "umpan_balik": []}
    assert report["flagged"] == 0


def test_both_dates_set_back_before_the_complaint_was_received(repo):
    # Received 5 January 2026; "recorded 1 December 2025, answered 1 November 2025".
    add(repo, ID, RECEIVED, "2025-12-01T09:00:00+07:00")
    respond(repo, ID, RECEIVED, "2025-11-01T09:00:00+07:00")
    item = one(deadlines(repo, NOW), ID)
    found = flags(item)
    assert "before_received" in found["lapor_tim"]
    assert {"before_received", "before_previous_step", "history_backwards"} <= set(found["umpan_balik"])


def test_a_date_in_the_future_is_flagged(repo):
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00")
    respond(repo, ID, RECEIVED, "2027-06-01T09:00:00+07:00")
    item = one(deadlines(repo, NOW), ID)
    assert "future" in flags(item)["umpan_balik"]
    assert flags(item)["lapor_tim"] == []


def test_the_tolerance_is_the_policys(tmp_path):
    policy = (ROOT / "puskesmas.yaml").read_text(encoding="utf-8") + "bukti:\n  toleransi_menit: 10\n"
    repo = GitRepo(tmp_path / "repo", policy=policy)
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00", committer_date="2026-01-05T09:30:00+07:00")
    assert flags(one(deadlines(repo, NOW), ID))["lapor_tim"] == ["author_before_committer"]


def test_a_bad_tolerance_is_refused_in_indonesian(tmp_path):
    policy = (ROOT / "puskesmas.yaml").read_text(encoding="utf-8") + "bukti:\n  toleransi_menit: satu jam\n"
    repo = GitRepo(tmp_path / "repo", policy=policy)
    done = subprocess.run([sys.executable, "-m", "pipeline", "check", "--repo", str(repo.path)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "bukti.toleransi_menit" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def run_format(repo, fmt: str) -> str:
    done = subprocess.run([sys.executable, "-m", "pipeline", "deadlines", "--repo", str(repo.path),
                           "--now", NOW, "--format", fmt], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_flags_in_every_format(repo):
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00", committer_date="2026-01-09T10:00:00+07:00")
    text = run_format(repo, "text")
    assert "⚠ waktu belum terverifikasi [author_before_committer]" in text
    assert "1 tahap WAKTUNYA BELUM TERVERIFIKASI" in text
    markdown = run_format(repo, "markdown")
    assert "⚠ **belum terverifikasi** (author_before_committer)" in markdown
    assert "tahap lapor_tim: waktu belum terverifikasi: tanggal penulis" in markdown
    github = run_format(repo, "github")
    assert "title=Waktu belum terverifikasi::ADU-20260105-AAAA: tahap lapor_tim" in github


def test_the_public_page_never_shows_a_flagged_stage_as_on_time(repo, tmp_path):
    from test_site_evidence import build, marks
    backdated = "ADU-20260105-BBBB"
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00")
    add(repo, backdated, RECEIVED, "2026-01-05T09:00:00+07:00", committer_date="2026-01-09T10:00:00+07:00")
    output = build(repo.path, tmp_path / "site", "--now", "2026-01-06T08:00:00+07:00")
    assert marks(output, ID)[0] == "tepat_waktu"
    assert marks(output, backdated)[0] == "belum_terverifikasi"
    html = (output / "pengaduan" / backdated / "index.html").read_text(encoding="utf-8")
    assert "Waktu belum terverifikasi" in html and "belum dapat dipastikan" in html
    assert "Tepat waktu" not in html
    opendata = (output / "data" / "complaints.json").read_text(encoding="utf-8")
    assert '"belum_terverifikasi"' in opendata


def test_flags_in_the_daily_watch_and_the_pull_request_comment(repo):
    repo.branch("pengaduan")
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00", committer_date="2026-01-09T10:00:00+07:00")
    watch = subprocess.run([sys.executable, "-m", "pipeline", "watch", "--no-issue", "--repo", str(repo.path),
                            "--now", "2026-01-06T08:00:00+07:00"], capture_output=True, text=True)
    assert watch.returncode == 0, watch.stderr
    assert "### ⚠ Waktu belum terverifikasi (1)" in watch.stdout
    assert "author_before_committer" in watch.stdout
    pr = subprocess.run([sys.executable, "-m", "pipeline", "pr", "deadlines", "--repo", str(repo.path),
                         "--base", "main", "--now", "2026-01-06T08:00:00+07:00"], capture_output=True, text=True)
    assert pr.returncode == 0, pr.stderr
    assert "⚠ **belum terverifikasi** (future, author_before_committer)" in pr.stdout


def test_flags_in_the_accreditation_workbook(repo, tmp_path):
    from openpyxl import load_workbook
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00", committer_date="2026-01-09T10:00:00+07:00")
    target = tmp_path / "rekap.xlsx"
    done = subprocess.run([sys.executable, "-m", "pipeline", "recap", "--repo", str(repo.path), "--now", NOW,
                           "--format", "xlsx", "--output", str(target)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    book = load_workbook(target)
    rows = list(book["Bukti waktu"].iter_rows(values_only=True))
    [recorded] = [row for row in rows if row[0] == ID and row[1].startswith("Dilaporkan")]
    assert recorded[6] == "author_before_committer" and "dimundurkan" in recorded[7]
    main = list(book["Pengaduan"].iter_rows(values_only=True))
    assert "tepat waktu (waktu belum terverifikasi)" in main[3]


def test_a_merge_dated_before_the_line_it_joins_is_flagged(repo):
    """A branch backdated to 5 January, merged (--no-ff) with a merge dated 5 January 10:05 onto a
    main whose tip is dated 9 January: the step's own commits look fine; the merge that brought
    them onto main goes back in time along the first-parent line."""
    base = repo.head()
    add(repo, "ADU-20260109-BBBB", "2026-01-09 08:00", "2026-01-09T09:00:00+07:00")   # main's tip: 9 Jan
    repo.git("checkout", "-q", "-b", "mundur", base)
    add(repo, ID, RECEIVED, "2026-01-05T09:00:00+07:00")
    respond(repo, ID, RECEIVED, "2026-01-05T10:00:00+07:00")
    repo.checkout("main")
    repo.merge("mundur", "2026-01-05T10:05:00+07:00")
    item = one(deadlines(repo, NOW), ID)
    assert [entry["status"] for entry in item["stages"]] == ["met", "met"]
    assert flags(item) == {"lapor_tim": ["history_backwards"], "umpan_balik": ["history_backwards"]}
    # The same branch merged at its real time raises nothing.
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.merge("mundur", "2026-01-09T10:05:00+07:00")
    assert flags(one(deadlines(repo, NOW), ID)) == {"lapor_tim": [], "umpan_balik": []}
