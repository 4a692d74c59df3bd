"""Why the system refused a file, in Indonesian: staff read these in `check`, `new` and the
build, never the system's English (`[Errno 13] Permission denied`)."""
from __future__ import annotations

import errno

_REASONS = {errno.ENOENT: "tidak ada", errno.EACCES: "tidak ada izin membacanya",
            errno.EPERM: "tidak ada izin membacanya", errno.ELOOP: "tautan (symlink) yang berputar ke dirinya sendiri",
            errno.EISDIR: "ini folder", errno.ENOTDIR: "ada berkas di tempat folder pada path-nya",
            errno.ENAMETOOLONG: "namanya terlalu panjang"}


_WRITE_REASONS = {**_REASONS, errno.EACCES: "tidak ada izin menulis di sana", errno.EPERM: "tidak ada izin menulis di sana",
                  errno.ENOSPC: "disk penuh", errno.EDQUOT: "kuota disk habis",
                  errno.EROFS: "disknya hanya dapat dibaca", errno.EEXIST: "sudah ada berkas dengan nama itu"}


def os_reason(err: OSError, writing: bool = False) -> str:
    """Why the system refused to read (or to write or make), in Indonesian (the system's own
    words for the rare rest)."""
    return (_WRITE_REASONS if writing else _REASONS).get(err.errno, err.strerror or str(err))
