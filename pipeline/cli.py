"""`pengaduan` command line: one small module per command in pipeline/commands/."""
from __future__ import annotations

import argparse
import difflib
import gc
import os
import sys

from pipeline import __version__
from pipeline.commands import COMMANDS, load
from pipeline.commands.argparse_id import IndonesianArgumentParser
from pipeline.outputs import ending as process_end


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `only`, the options of that command alone (the others are listed
    but their modules are not imported)."""
    # Usage, help and usage errors in Indonesian; every subparser is of the same class.
    parser = IndonesianArgumentParser(
        prog="pengaduan",
        description="Respon Pengaduan Pelayanan: pengaduan Puskesmas sebagai berkas di git.")
    parser.add_argument("--version", action="version", version=f"pengaduan {__version__}",
                        help="tampilkan nomor versi program lalu keluar")
    subparsers = parser.add_subparsers(dest="command", metavar="PERINTAH", required=True,
                                       help="salah satu perintah berikut")
    parser.commands = subparsers
    for name, summary in COMMANDS.items():
        sub = subparsers.add_parser(name, help=summary, description=summary)
        if only is None or name == only:
            module = load(name)
            module.add_arguments(sub)
            sub.set_defaults(run=module.run)
    return parser


# Indonesian words staff type for a command ("periksa" for check)
SAID_IN_INDONESIAN = {"cek": "check", "periksa": "check", "baru": "new", "tambah": "new", "bangun": "build",
                      "terbitkan": "build", "tenggat": "deadlines", "rekap": "recap", "lihat": "serve"}


def unknown_command(word: str) -> str:
    """Why `word` is no command, with the likeliest one."""
    guess = SAID_IN_INDONESIAN.get(word.lower()) or next(iter(difflib.get_close_matches(word, COMMANDS, n=1)), None)
    return (f"perintah `{word}` tidak dikenal." + (f" Mungkin maksud Anda `pengaduan {guess}`?" if guess else "")
            + f" Perintah: {', '.join(COMMANDS)}.")


def main(argv: list[str] | None = None) -> int:
    """The program (`argv` None: its own arguments, and the process ends when this returns)."""
    ending = argv is None
    argv = sys.argv[1:] if argv is None else argv
    chosen = next((word for word in argv if not word.startswith("-")), None)
    parser = build_parser(chosen if chosen in COMMANDS else None)
    if chosen is not None and chosen not in COMMANDS:
        parser.error(unknown_command(chosen))
    args, unknown = parser.parse_known_args(argv)
    if unknown:   # (said with the command's own usage, not the program's)
        parser.commands.choices[args.command].error(f"argumen tidak dikenal: {' '.join(unknown)}")
    try:
        if ending and getattr(args, "process_ends_with_it", False):   # (`pengaduan build`)
            process_end.allow()
        code = args.run(args)
        if ending:
            # Python's last collection at exit walks all a command still holds, to free what the
            # system takes back anyway: 0.15 to 0.2 s after a rebuild at 10,000 complaints
            gc.freeze()
            return process_end.end(code)   # (a rebuild that held what it let go ends here)
        return code
    except KeyboardInterrupt:
        print("Dibatalkan.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # a bug of ours must still not greet staff with a traceback
        if os.environ.get("PENGADUAN_DEBUG"):
            raise
        print(f"galat internal: {type(err).__name__}: {err}\n"
              "Ini kesalahan program, bukan kesalahan Anda. Jalankan ulang dengan PENGADUAN_DEBUG=1 "
              "dan laporkan keluarannya kepada pengelola repositori.", file=sys.stderr)
        return 3
