"""A tiny client for the forge's REST API (GitHub; Gitea/Forgejo where the calls differ).

Used by the workflow commands (`pengaduan pr`, `pengaduan watch`, `pengaduan intake`) and only
through the standard library (urllib). Where it talks to comes from the variables the Actions
runner sets:

- GITHUB_API_URL     base URL of the API (GitHub: https://api.github.com; Gitea/Forgejo:
                     https://host/api/v1, which also switches on the Gitea flavour below);
- GITHUB_TOKEN       the token (the workflow passes `secrets.GITHUB_TOKEN` or a stronger one);
- GITHUB_REPOSITORY  owner/name.

The tests point GITHUB_API_URL at a local HTTP server that records every request.
"""
from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from pipeline.records.osreasons import os_reason

USER_AGENT = "respon-pengaduan (pengaduan CLI)"
_NEXT_LINK = re.compile(r'<([^>]+)>;\s*rel="next"')


class ForgeError(Exception):
    """The API refused or failed; `status` is the HTTP status (0: no answer at all)."""

    def __init__(self, status: int, message: str, method: str = "", path: str = ""):
        super().__init__(f"{method} {path}: HTTP {status}: {message}".strip())
        self.status = status
        self.message = message

    @property
    def forbidden(self) -> bool:
        """The token may not do this (read-only token of a fork's pull request, missing permission)."""
        return self.status in (401, 403, 404)


@dataclass
class Forge:
    api_url: str
    token: str
    repository: str            # owner/name
    timeout: float = 30.0

    @classmethod
    def from_env(cls, environ=None) -> Forge | None:
        """The forge of the running workflow, or None when no token/repository is set."""
        env = os.environ if environ is None else environ
        token, repository = env.get("GITHUB_TOKEN", ""), env.get("GITHUB_REPOSITORY", "")
        if not token or "/" not in repository:
            return None
        return cls(env.get("GITHUB_API_URL") or "https://api.github.com", token, repository)

    @property
    def gitea(self) -> bool:
        """Gitea and Forgejo serve their API under /api/v1 and differ in a few calls."""
        return self.api_url.rstrip("/").endswith("/api/v1")

    # --- transport -------------------------------------------------------------------------

    def request(self, method: str, path: str, body=None, query: dict | None = None):
        """One API call; returns the decoded JSON (None for an empty answer)."""
        url = path if path.startswith(("http://", "https://")) else self.api_url.rstrip("/") + path
        if query:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
        data, _ = self._send(method, url, body)
        return data

    def _send(self, method: str, url: str, body=None):
        payload = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(url, data=payload, method=method)
        request.add_header("Accept", "application/vnd.github+json")
        request.add_header("Authorization", f"{'token' if self.gitea else 'Bearer'} {self.token}")
        request.add_header("User-Agent", USER_AGENT)
        request.add_header("X-GitHub-Api-Version", "2022-11-28")
        if payload is not None:
            request.add_header("Content-Type", "application/json")
        shown = urllib.parse.urlsplit(url).path
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
                link = response.headers.get("Link", "")
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace")
            try:
                detail = json.loads(detail).get("message", detail)
            except (ValueError, AttributeError):
                pass
            raise ForgeError(err.code, str(detail)[:300], method, shown) from None
        except (urllib.error.URLError, OSError) as err:
            raise ForgeError(0, str(getattr(err, "reason", err)), method, shown) from None
        return (json.loads(raw) if raw.strip() else None), link

    def paginate(self, path: str, query: dict | None = None) -> list:
        """Every item of a list endpoint, following the Link: rel="next" headers."""
        url = self.api_url.rstrip("/") + path
        query = {"per_page": 100, **(query or {})}
        url += "?" + urllib.parse.urlencode(query)
        items: list = []
        for _ in range(50):  # 5,000 items at most: more would mean something is wrong
            data, link = self._send("GET", url)
            items += data or []
            found = _NEXT_LINK.search(link or "")
            if not found:
                break
            url = found.group(1)
        return items

    def repo_path(self, suffix: str = "") -> str:
        return f"/repos/{self.repository}{suffix}"

    # --- repository, branches, files --------------------------------------------------------

    def repository_info(self) -> dict:
        return self.request("GET", self.repo_path())

    def issue(self, number: int) -> dict:
        return shaped(self.request("GET", self.repo_path(f"/issues/{number}")), ISSUE_SHAPE)

    def default_branch(self) -> str:
        return self.request("GET", self.repo_path())["default_branch"]

    def branch_sha(self, branch: str) -> str:
        quoted = urllib.parse.quote(branch, safe="")
        if self.gitea:
            return self.request("GET", self.repo_path(f"/branches/{quoted}"))["commit"]["id"]
        return self.request("GET", self.repo_path(f"/git/ref/heads/{urllib.parse.quote(branch)}"))["object"]["sha"]

    def create_branch(self, name: str, from_branch: str, sha: str) -> None:
        if self.gitea:
            self.request("POST", self.repo_path("/branches"),
                         {"new_branch_name": name, "old_branch_name": from_branch})
        else:
            self.request("POST", self.repo_path("/git/refs"), {"ref": f"refs/heads/{name}", "sha": sha})

    def create_file(self, path: str, content: bytes, message: str, branch: str) -> dict:
        body = {"message": message, "content": base64.b64encode(content).decode("ascii"), "branch": branch}
        method = "POST" if self.gitea else "PUT"
        return self.request(method, self.repo_path(f"/contents/{urllib.parse.quote(path)}"), body)

    # --- pull requests ------------------------------------------------------------------------

    def create_pull(self, title: str, head: str, base: str, body: str) -> dict:
        return self.request("POST", self.repo_path("/pulls"),
                            {"title": title, "head": head, "base": base, "body": body})

    def open_pulls(self) -> list:
        return self.paginate(self.repo_path("/pulls"), {"state": "open"})

    # --- issues and comments --------------------------------------------------------------------

    def issues(self, label: str, state: str = "open") -> list:
        """Issues (never pull requests) with `label`."""
        query = {"labels": label, "state": state}
        if self.gitea:
            query["type"] = "issues"
        return [issue for issue in self.paginate(self.repo_path("/issues"), query)
                if not issue.get("pull_request")]

    def create_issue(self, title: str, body: str, labels: list[str]) -> dict:
        issue = {"title": title, "body": body}
        if labels:
            issue["labels"] = [self._label_id(name) for name in labels] if self.gitea else labels
        return self.request("POST", self.repo_path("/issues"), issue)

    def update_issue(self, number: int, **fields) -> dict:
        return self.request("PATCH", self.repo_path(f"/issues/{number}"), fields)

    def close_issue(self, number: int) -> dict:
        fields = {"state": "closed"} if self.gitea else {"state": "closed", "state_reason": "completed"}
        return self.update_issue(number, **fields)

    def comments(self, number: int) -> list:
        return self.paginate(self.repo_path(f"/issues/{number}/comments"))

    def comment(self, number: int, body: str) -> dict:
        return self.request("POST", self.repo_path(f"/issues/{number}/comments"), {"body": body})

    def update_comment(self, comment_id: int, body: str) -> dict:
        return self.request("PATCH", self.repo_path(f"/issues/comments/{comment_id}"), {"body": body})

    def upsert_comment(self, number: int, marker: str, body: str, create: bool = True) -> str:
        """Update the comment holding `marker`, else create one. Returns what was done."""
        for existing in self.comments(number):
            if marker in (existing.get("body") or ""):
                if existing.get("body") == body:
                    return "unchanged"
                self.update_comment(existing["id"], body)
                return "updated"
        if not create:
            return "none"
        self.comment(number, body)
        return "created"

    def ensure_label(self, name: str, color: str, description: str) -> None:
        """Create the label when it is missing (an existing one is left as the team set it)."""
        try:
            self.request("POST", self.repo_path("/labels"),
                         {"name": name, "color": color if not self.gitea else f"#{color}",
                          "description": description})
        except ForgeError as err:
            if err.status != 422 and not (self.gitea and err.status == 409):
                raise

    def _label_id(self, name: str) -> int:
        for label in self.paginate(self.repo_path("/labels")):
            if label.get("name") == name:
                return label["id"]
        raise ForgeError(404, f"label '{name}' tidak ada", "GET", self.repo_path("/labels"))


def write_outputs(values: dict, environ=None) -> None:
    """Append `key=value` lines to $GITHUB_OUTPUT (multi-line values with a delimiter)."""
    env = os.environ if environ is None else environ
    target = env.get("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as handle:
        for key, value in values.items():
            text = "" if value is None else str(value)
            if "\n" in text:
                delimiter = "EOF_PENGADUAN"
                while delimiter in text:
                    delimiter += "_"
                handle.write(f"{key}<<{delimiter}\n{text}\n{delimiter}\n")
            else:
                handle.write(f"{key}={text}\n")


class EventError(Exception):
    """The event payload file cannot be read as a webhook payload (Indonesian, for staff)."""


# The fields of a payload (and of an issue read from the API) the commands use, with their types:
# a value of another type is dropped as if absent, so that no command trips on it.
ISSUE_SHAPE = {"number": int, "body": str, "created_at": str, "author_association": str,
               "user": {"login": str}, "labels": [{"name": str}]}
_REF = {"sha": str, "ref": str}
EVENT_SHAPE = {"issue": ISSUE_SHAPE, "repository": {"private": bool, "default_branch": str},
               "pull_request": {"number": int, "base": _REF, "head": _REF}}
EVENT_MAX_BYTES = 25 * 1024 * 1024   # GitHub's payloads are capped at 25 MB


def load_event(path) -> dict:
    """The webhook payload the runner saved at $GITHUB_EVENT_PATH, as `EVENT_SHAPE` (see there)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(EVENT_MAX_BYTES + 1)
        if len(raw) > EVENT_MAX_BYTES:
            raise EventError(f"payload event {path} lebih dari 25 MB.")
        event = json.loads(raw.decode("utf-8-sig"))
    except OSError as err:
        raise EventError(f"payload event {path} tidak dapat dibaca ({os_reason(err)}).") from None
    except (UnicodeDecodeError, ValueError) as err:
        raise EventError(f"payload event {path} bukan JSON UTF-8 yang sah ({err}).") from None
    if not isinstance(event, dict):
        raise EventError(f"payload event {path} bukan objek JSON (isinya {type(event).__name__}).")
    return shaped(event, EVENT_SHAPE)


def shaped(value, shape):
    """`value` with only the fields of `shape` whose values have its types (see EVENT_SHAPE)."""
    if isinstance(shape, dict):
        return {key: shaped(value[key], part) for key, part in shape.items()
                if isinstance(value, dict) and key in value and _fits(value[key], part)}
    if isinstance(shape, list):
        return [shaped(item, shape[0]) for item in value if _fits(item, shape[0])]
    return value


def _fits(value, shape) -> bool:
    if isinstance(shape, dict):
        return isinstance(value, dict)
    if isinstance(shape, list):
        return isinstance(value, list)
    return isinstance(value, shape) and (shape is bool or not isinstance(value, bool))
