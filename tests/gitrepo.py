"""Real git repositories for tests: commits with controlled author and committer dates."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def complaint_text(complaint_id: str, diterima: str, **fields) -> str:
    """A valid complaint file; extra fields (e.g. tanggapan={...}) are added as given."""
    data = {"id": complaint_id, "judul": f"Pengaduan {complaint_id}", "diterima": diterima,
            "kanal": "whatsapp", "jenis": "keluhan", "unit": "pendaftaran",
            "ringkasan": "Antrean di loket pendaftaran terlalu lama pada pagi hari.", **fields}
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n"


def complaint_path(complaint_id: str) -> str:
    return f"content/complaints/{complaint_id[4:8]}/{complaint_id}.md"


RESPONSE = {"isi": "Kami menambah petugas loket pada jam sibuk mulai pekan depan."}


class GitRepo:
    def __init__(self, path: Path, policy: str | None = None):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Petugas Pengaduan")
        self.git("config", "user.email", "pengaduan@puskesmas.example")
        self.git("config", "commit.gpgsign", "false")
        (self.path / "puskesmas.yaml").write_text(
            policy if policy is not None else (ROOT / "puskesmas.yaml").read_text(encoding="utf-8"),
            encoding="utf-8")
        self.commit("Add policy", "2025-12-01T08:00:00+07:00")

    def git(self, *args: str, author_date: str | None = None, committer_date: str | None = None) -> str:
        env = dict(os.environ)
        for key in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            env.pop(key, None)
        if author_date:
            env["GIT_AUTHOR_DATE"] = author_date
        if committer_date or author_date:
            env["GIT_COMMITTER_DATE"] = committer_date or author_date
        done = subprocess.run(["git", "-C", str(self.path), *args], env=env, capture_output=True,
                              text=True, check=True)
        return done.stdout

    def write(self, relpath: str, text: str) -> None:
        target = self.path / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self, message: str, author_date: str, committer_date: str | None = None,
               files: dict | None = None) -> str:
        for relpath, text in (files or {}).items():
            self.write(relpath, text)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, author_date=author_date,
                 committer_date=committer_date)
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def branch(self, name: str) -> None:
        self.git("checkout", "-q", "-b", name)

    def checkout(self, name: str) -> None:
        self.git("checkout", "-q", name)

    def merge(self, branch: str, date: str) -> str:
        """A pull request merged with "Create a merge commit"."""
        self.git("merge", "-q", "--no-ff", branch, "-m", f"Merge pull request from {branch}",
                 author_date=date, committer_date=date)
        return self.head()

    def rebase_merge(self, branch: str, date: str) -> None:
        """"Rebase and merge": the branch's commits replayed on main; author dates kept."""
        commits = self.git("rev-list", "--reverse", f"HEAD..{branch}").split()
        for sha in commits:
            self.git("cherry-pick", "--allow-empty", sha, committer_date=date)

    def squash_merge(self, branch: str, date: str) -> str:
        """"Squash and merge": one new commit with the merge time as its date."""
        self.git("merge", "-q", "--squash", branch)
        self.git("commit", "-q", "-m", f"Squash {branch}", author_date=date, committer_date=date)
        return self.head()

    def copy_to(self, target: Path) -> None:
        shutil.copytree(self.path, target)
