"""A local stand-in for the GitHub REST API: http.server on 127.0.0.1 in a thread.

It keeps just enough state for the workflow commands (issues and their comments, labels, pull
requests, branches, files written through the contents API) and records every request, so a test
can assert what a command asked GitHub to do. It pages lists at PAGE_SIZE items with real `Link`
headers, checks the bearer token, and can refuse chosen calls (`deny`) like a read-only token.
"""
from __future__ import annotations

import base64
import json
import re
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE_SIZE = 2   # small on purpose: every list longer than this is paginated


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    body: object

    @property
    def text(self) -> str:
        return json.dumps(self.body, ensure_ascii=False) if self.body is not None else ""


class ForgeServer:
    def __init__(self, repository: str = "puskesmas-arjuno/pengaduan", token: str = "ghs_uji_coba"):
        self.repository = repository
        self.token = token
        self.requests: list[Recorded] = []
        self.issues: dict[int, dict] = {}
        self.comments: dict[int, dict] = {}
        self.pulls: dict[int, dict] = {}
        self.labels: dict[str, dict] = {}
        self.refs: dict[str, str] = {"main": "0" * 40}
        self.files: dict[tuple[str, str], bytes] = {}
        self.deny: list[tuple[str, str]] = []    # (method, path regex) answered with 403
        self._number = 0
        self.private = True   # the repository's visibility, as GET /repos/{owner}/{repo} says
        self._comment_id = 1000
        self._lock = threading.Lock()
        server = self
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_Handler,), {"forge": server}))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> ForgeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- state helpers for tests ---------------------------------------------------------------

    def next_number(self) -> int:
        self._number += 1
        return self._number

    def add_issue(self, title: str, body: str, labels=(), state: str = "open", **extra) -> dict:
        number = self.next_number()
        self.issues[number] = {"number": number, "title": title, "body": body, "state": state,
                               "labels": [{"name": name} for name in labels],
                               "html_url": f"https://github.com/{self.repository}/issues/{number}", **extra}
        return self.issues[number]

    def add_pull(self, head_ref: str, head_sha: str, base: str = "main", title: str = "PR") -> dict:
        number = self.next_number()
        self.pulls[number] = {"number": number, "title": title, "state": "open", "body": "",
                              "head": {"ref": head_ref, "sha": head_sha}, "base": {"ref": base},
                              "html_url": f"https://github.com/{self.repository}/pull/{number}"}
        return self.pulls[number]

    def calls(self, method: str, pattern: str = "") -> list[Recorded]:
        return [call for call in self.requests if call.method == method and re.search(pattern, call.path)]


class _Handler(BaseHTTPRequestHandler):
    forge: ForgeServer

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_PUT(self):
        self._handle("PUT")

    def _handle(self, method: str) -> None:
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        forge = self.forge
        with forge._lock:
            forge.requests.append(Recorded(method, parts.path, query, body))
            if self.headers.get("Authorization") != f"Bearer {forge.token}":
                return self._send(401, {"message": "Bad credentials"})
            for denied_method, pattern in forge.deny:
                if denied_method == method and re.search(pattern, parts.path):
                    return self._send(403, {"message": "Resource not accessible by integration"})
            prefix = f"/repos/{forge.repository}"
            if not parts.path.startswith(prefix):
                return self._send(404, {"message": "Not Found"})
            try:
                status, answer = self._route(method, parts.path[len(prefix):], query, body)
            except KeyError:
                status, answer = 404, {"message": "Not Found"}
            if isinstance(answer, list):
                return self._send_page(answer, query, parts.path)
            return self._send(status, answer)

    def _route(self, method, path, query, body):
        forge = self.forge
        if method == "GET" and path == "":
            return 200, {"full_name": forge.repository, "default_branch": "main", "private": forge.private}
        if method == "GET" and path.startswith("/git/ref/heads/"):
            return 200, {"object": {"sha": forge.refs[urllib.parse.unquote(path[len("/git/ref/heads/"):])]}}
        if method == "POST" and path == "/git/refs":
            name = body["ref"].removeprefix("refs/heads/")
            if name in forge.refs:
                return 422, {"message": "Reference already exists"}
            forge.refs[name] = body["sha"]
            return 201, {"ref": body["ref"], "object": {"sha": body["sha"]}}
        if method == "PUT" and path.startswith("/contents/"):
            file_path = urllib.parse.unquote(path[len("/contents/"):])
            branch = body["branch"]
            if branch not in forge.refs:
                return 404, {"message": "Branch not found"}
            forge.files[(branch, file_path)] = base64.b64decode(body["content"])
            forge.refs[branch] = f"{len(forge.files):040x}"
            return 201, {"content": {"path": file_path}, "commit": {"sha": forge.refs[branch]}}
        if method == "POST" and path == "/pulls":
            if body["head"] not in forge.refs:
                return 422, {"message": "head does not exist"}
            pull = forge.add_pull(body["head"], forge.refs[body["head"]], body["base"], body["title"])
            pull["body"] = body["body"]
            return 201, pull
        if method == "GET" and path == "/pulls":
            return 200, [pull for pull in forge.pulls.values() if pull["state"] == query.get("state", "open")]
        if method == "GET" and path == "/issues":
            wanted = set(filter(None, query.get("labels", "").split(",")))
            state = query.get("state", "open")
            return 200, [issue for issue in forge.issues.values()
                         if (state == "all" or issue["state"] == state)
                         and wanted <= {label["name"] for label in issue["labels"]}]
        if method == "POST" and path == "/issues":
            issue = forge.add_issue(body["title"], body.get("body", ""), body.get("labels", []))
            return 201, issue
        found = re.fullmatch(r"/issues/(\d+)", path)
        if found and method == "GET":
            return 200, forge.issues[int(found.group(1))]
        if found and method == "PATCH":
            issue = forge.issues[int(found.group(1))]
            issue.update(body)
            return 200, issue
        found = re.fullmatch(r"/issues/(\d+)/comments", path)
        if found and method == "GET":
            number = int(found.group(1))
            return 200, [c for c in forge.comments.values() if c["issue"] == number]
        if found and method == "POST":
            number = int(found.group(1))
            if number not in forge.issues and number not in forge.pulls:
                return 404, {"message": "Not Found"}
            forge._comment_id += 1
            forge.comments[forge._comment_id] = {"id": forge._comment_id, "issue": number, "body": body["body"]}
            return 201, forge.comments[forge._comment_id]
        found = re.fullmatch(r"/issues/comments/(\d+)", path)
        if found and method == "PATCH":
            comment = forge.comments[int(found.group(1))]
            comment["body"] = body["body"]
            return 200, comment
        if method == "POST" and path == "/labels":
            if body["name"] in forge.labels:
                return 422, {"message": "Validation Failed", "errors": [{"code": "already_exists"}]}
            forge.labels[body["name"]] = body
            return 201, body
        return 404, {"message": "Not Found"}

    def _send_page(self, items: list, query: dict, path: str) -> None:
        page = int(query.get("page", 1))
        size = min(int(query.get("per_page", 30)), PAGE_SIZE)
        chunk = items[(page - 1) * size: page * size]
        headers = {}
        if page * size < len(items):
            following = urllib.parse.urlencode({**query, "page": page + 1})
            headers["Link"] = f'<{self.forge.url}{path}?{following}>; rel="next"'
        self._send(200, chunk, headers)

    def _send(self, status: int, answer, headers: dict | None = None) -> None:
        data = json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
