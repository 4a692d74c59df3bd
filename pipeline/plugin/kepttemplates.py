"""Compiled templates kept in the build cache, one folder per build-cache environment.

Jinja checks a kept template against its source, but not against the options it was compiled
with: `trim_blocks` or `lstrip_blocks` changed in JINJA_ENVIRONMENT, the old code would still be
run, and a rebuild would differ from a clean build. So the templates are kept under
`jinja/<environment>/`, the key of everything the build cache depends on (the settings, the
theme, this program, Jinja's version), and a folder of another environment is removed.

Our generator forces autoescape on its templates; Pelican's generators take JINJA_ENVIRONMENT as
it is, and a plugin may change one generator's environment: each generator has its own folder.
Pelican's are kept too: the staff pages' and the article ones' (which load their templates even on
a site without articles) took 0.03 s of every rebuild to compile again.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from pipeline.outputs.realfolders import real_folders

FOLDER = "jinja"


class _KeptTemplates(FileSystemBytecodeCache):
    """A folder that another build removed (another environment) is only a template not kept."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def kept_templates(cache: str | Path, environment: str, kind: str) -> FileSystemBytecodeCache | None:
    """The compiled templates of the generator `kind` (its class's name) in this environment; None
    when the cache has no room for them (a read-only disk, a file in the cache's place): compiled
    each build. A link or a file in the place of one of its folders is removed, never followed."""
    root = Path(cache) / FOLDER
    own = environment[:32]
    folder = root / own / kind
    try:   # (a link in the place of one: removed, never followed; its target's files are not ours)
        Path(cache).mkdir(parents=True, exist_ok=True)
        real_folders(str(folder), {str(cache)})
        entries = list(os.scandir(root))
    except OSError:
        return None
    for entry in entries:
        if entry.name != own:   # another environment's, or the flat layout of before
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
    return _KeptTemplates(str(folder))
