"""argparse in Indonesian: usage, help headings and usage errors for staff, not programmers.

argparse builds every text it writes itself ("usage: ", "positional arguments", "the following
arguments are required: %s", "invalid choice: ...") through `gettext.gettext` and
`gettext.ngettext`, which it imports into its module as `argparse._` and `argparse.ngettext`.
`IndonesianArgumentParser` runs the few methods that produce those texts with the two names
pointing at `INDONESIAN`, a dict-based `gettext.NullTranslations`, and puts the originals back
afterwards: nothing changes for any other parser in the process, and an English message without a
translation here stays English instead of failing. Exit codes are argparse's own (2 on a usage
error).
"""
from __future__ import annotations

import argparse
import functools
import gettext
from contextlib import contextmanager

# argparse's message ids (Python 3.10-3.13) -> Indonesian. Keep the %-placeholders as they are.
MESSAGES = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen",
    "options": "opsi",
    "optional arguments": "opsi",                       # Python 3.9 and older
    "subcommands": "perintah",
    "%(heading)s:": "%(heading)s:",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "show program's version number and exit": "tampilkan nomor versi program lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: peringatan: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "one of the arguments %s is required": "salah satu argumen ini wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "pilihan tidak dikenal: %(value)r (pilih salah satu: %(choices)s)",
    "invalid %(type)s value: %(value)r": "nilai tidak sah: %(value)r (harus %(type)s)",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "perlu paling sedikit satu nilai",
    "ambiguous option: %(option)s could match %(matches)s":
        "opsi %(option)s kurang lengkap: bisa berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh dipakai bersama argumen %s",
    "ignored explicit argument %r": "nilai %r diabaikan",
    "unexpected option string: %s": "opsi tidak terduga: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "perintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "tidak dapat membuka '%(filename)s': %(error)s",
    " (default: %(default)s)": " (default: %(default)s)",
    "argument '%(argument_name)s' is deprecated": "argumen '%(argument_name)s' sudah usang",
    "option '%(option)s' is deprecated": "opsi '%(option)s' sudah usang",
    "command '%(parser_name)s' is deprecated": "perintah '%(parser_name)s' sudah usang",
}
PLURALS = {
    ("expected %s argument", "expected %s arguments"): "perlu %s nilai",
}
# The `type` of an argument as argparse names it in "invalid %(type)s value", for people.
TYPE_NAMES = {"int": "bilangan bulat", "float": "bilangan", "Path": "nama berkas atau folder"}


class _Format(str):
    """A translated format string that also names the argument's type in Indonesian."""

    def __mod__(self, values):
        if isinstance(values, dict) and "type" in values:
            values = {**values, "type": TYPE_NAMES.get(values["type"], values["type"])}
        return str.__mod__(self, values)


class IndonesianTranslations(gettext.NullTranslations):
    """gettext translations from the MESSAGES dict; an unknown message stays as it is."""

    def gettext(self, message):
        translated = MESSAGES.get(message, message)
        return _Format(translated) if "%(type)s" in translated else translated

    def ngettext(self, singular, plural, n):
        return PLURALS.get((singular, plural), singular if n == 1 else plural)


INDONESIAN = IndonesianTranslations()


@contextmanager
def indonesian():
    """Within the block, argparse writes Indonesian (re-entrant; restores what it found)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = INDONESIAN.gettext, INDONESIAN.ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def _in_indonesian(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with indonesian():
            return method(*args, **kwargs)
    return wrapper


class IndonesianArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, help and errors are Indonesian; subparsers inherit it."""

    # __init__: the group titles and -h's help; add_subparsers: its title; the parse methods:
    # every usage error; error/exit: "%(prog)s: error:"; the format methods: "usage: ".
    __init__ = _in_indonesian(argparse.ArgumentParser.__init__)
    add_subparsers = _in_indonesian(argparse.ArgumentParser.add_subparsers)
    parse_args = _in_indonesian(argparse.ArgumentParser.parse_args)
    parse_known_args = _in_indonesian(argparse.ArgumentParser.parse_known_args)
    format_usage = _in_indonesian(argparse.ArgumentParser.format_usage)
    format_help = _in_indonesian(argparse.ArgumentParser.format_help)

    def error(self, message):
        if message.startswith("argument "):  # Python 3.10 writes this prefix without gettext
            message = "argumen " + message[len("argument "):]
        with indonesian():
            super().error(message)
