"""The folders a build writes in, made real: a link or a file in the place of one is removed,
never followed. What a link points to is neither the site's nor the build cache's: a page moved in
through it would land outside the site, and a cache file no longer used would be deleted there."""
from __future__ import annotations

import os
from stat import S_ISDIR


def real_folders(folder: str, made: set) -> None:
    """`folder` a real folder, and each folder on its way from one in `made` (the output, the
    cache: taken as they are); each one made real is added to `made` and not asked again. Raises
    OSError when one cannot be made."""
    if folder in made:
        return
    parent = os.path.dirname(folder)
    if parent == folder:   # (the file system's root: `made` named none of the folders on the way)
        raise ValueError(f"{folder}: not under any folder given")
    real_folders(parent, made)
    try:
        if not S_ISDIR(os.lstat(folder).st_mode):
            os.unlink(folder)
            os.mkdir(folder)
    except FileNotFoundError:
        os.mkdir(folder)
    made.add(folder)
