"""`pengaduan serve`: preview the built site on http://localhost:PORT (Ctrl+C to stop)."""
from __future__ import annotations

import errno
import functools
import socket
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pipeline.commands.common import add_repo



def add_arguments(parser):
    add_repo(parser)
    parser.add_argument("--output", type=Path, default=None, metavar="DIR",
                        help="folder hasil build (default: output/ di dalam repositori)")
    parser.add_argument("--port", type=port_number, default=8000, metavar="NOMOR", help="port (default: 8000)")
    parser.add_argument("--bind", default="127.0.0.1", metavar="ALAMAT", help="alamat (default: 127.0.0.1, hanya komputer ini)")
    parser.add_argument("--build", action="store_true", help="bangun situs dulu sebelum ditampilkan")


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files, with the site's own 404 page; no directory listings."""

    def list_directory(self, path):
        self.send_error(404)
        return None

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), format % args))


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (argparse's type)."""
    from argparse import ArgumentTypeError
    try:
        port = int(text)
    except ValueError:
        raise ArgumentTypeError(f"'{text}' bukan nomor port; tulis angka 1 sampai 65535, mis. 8001.") from None
    if not 1 <= port <= 65535:
        raise ArgumentTypeError(f"port {port} tidak ada; tulis angka 1 sampai 65535, mis. 8001.")
    return port


def make_server(directory: Path, bind: str = "127.0.0.1", port: int = 8000, quiet: bool = False):
    handler = functools.partial(SiteHandler, directory=str(directory))
    if quiet:
        handler = functools.partial(type("QuietHandler", (SiteHandler,), {"log_message": lambda *a: None}),
                                    directory=str(directory))
    return ThreadingHTTPServer((bind, port), handler)


def run(args) -> int:
    repo = args.repo.resolve()
    output = (args.output if args.output is not None else repo / "output").resolve()
    if args.build or not (output / "index.html").is_file():
        from argparse import ArgumentParser

        from pipeline.commands import build
        options = ArgumentParser()   # `pengaduan build`'s own options, with its own defaults
        build.add_arguments(options)
        code = build.run(options.parse_args(["--repo", str(args.repo), "--output", str(output)]))
        if code:
            return code
    try:
        server = make_server(output, args.bind, args.port)
    except OSError as err:
        on_bind = err.errno == errno.EADDRNOTAVAIL or isinstance(err, socket.gaierror)
        advice = "coba --bind 127.0.0.1" if on_bind else "coba --port 8001"
        print(f"pengaduan serve: port {args.port} tidak dapat dipakai ({_port_reason(err, args.port)}); {advice}.",
              file=sys.stderr)
        return 1
    host = "localhost" if args.bind in ("127.0.0.1", "::1") else args.bind
    print(f"Pratinjau situs: http://{host}:{args.port}/  (Ctrl+C untuk berhenti)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _port_reason(err: OSError, port: int) -> str:
    if isinstance(err, socket.gaierror):
        return "nama --bind itu tidak dikenal"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "port di bawah 1024 hanya untuk administrator" if port < 1024 else "sistem tidak mengizinkannya"
    return {errno.EADDRINUSE: "sudah dipakai program lain",
            errno.EADDRNOTAVAIL: "alamat --bind itu bukan milik komputer ini"}.get(err.errno, err.strerror or str(err))
