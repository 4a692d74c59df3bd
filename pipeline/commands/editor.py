"""`pengaduan editor`: write the web editor's files admin/config.yml and admin/index.html from
schema/complaint.schema.json and puskesmas.yaml (run it again after changing either; `--periksa`
only says whether they are up to date). The editor itself, Decap CMS, is vendored in
admin/vendor/decap-cms/; `pengaduan build` copies admin/ into the site as /admin/.
"""
from __future__ import annotations

import sys

from pipeline.commands.common import add_repo, policy_or_why
from pipeline.outputs.editor import ADMIN_DIR, generated_files


def add_arguments(parser):
    add_repo(parser)
    parser.add_argument("--periksa", action="store_true",
                        help="jangan menulis; keluar dengan kode 1 bila berkas admin/ usang (tanpa folder admin/: 0)")
    parser.add_argument("--local-backend", metavar="URL", default=None,
                        help="alamat decap-server untuk mencoba editor di komputer sendiri, "
                             "mis. http://localhost:8081/api/v1 (default: dicoba otomatis di localhost)")


def run(args) -> int:
    policy, code = policy_or_why(args.repo, "editor")
    if policy is None:
        return code
    folder = args.repo / ADMIN_DIR
    if args.periksa and not folder.exists():
        # A repository without the web editor (the site is built without /admin/): nothing to be stale.
        print(f"{folder}/ tidak ada: repositori ini tanpa editor web, tidak ada yang diperiksa.")
        return 0
    stale = []
    for name, text in generated_files(policy, args.local_backend).items():
        path = folder / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path)
        if not args.periksa:
            folder.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if args.periksa:
        for path in stale:
            print(f"{path}: usang: tidak lagi sesuai schema/complaint.schema.json dan puskesmas.yaml, jadi "
                  "formulir editor web berbeda dari yang diperiksa. Jalankan `.venv/bin/pengaduan editor` "
                  "lalu commit hasilnya (admin/config.yml dan admin/index.html).", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        print(f"ditulis: {path}")
    if not stale:
        print(f"{folder}/ sudah sesuai skema dan puskesmas.yaml.")
    return 0
