"""Why a file's bytes are not the UTF-8 text we read, said for the editor staff use.

Notepad's "Unicode" is UTF-16 (with or without its byte-order mark); a file from an old Windows
program is Windows-1252. Both were told "not UTF-8 (byte 0xFF)" with VS Code's English menu, and
UTF-16 without a mark was taken for a binary file (its every other byte is NUL).
"""
from __future__ import annotations

SAVE_AS_UTF8 = ("Simpan ulang sebagai UTF-8: di Notepad, File > Simpan Sebagai (Save As), lalu Pengodean "
                "(Encoding) UTF-8; di VS Code, klik nama pengodean di bilah bawah > Save with Encoding > UTF-8.")


def is_utf16(raw: bytes) -> bool:
    """UTF-16: its byte-order mark, or (without one) a NUL in every other byte of ASCII text."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = raw[:64]
    for zeros, letters in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):
        if len(zeros) >= 2 and zeros.count(0) >= 0.9 * len(zeros) and letters.count(0) == 0:
            return True
    return False


def not_text(raw: bytes, start: int) -> tuple[str, str]:
    """(what is wrong, how to fix it) for bytes that are not UTF-8 from `start` on."""
    if is_utf16(raw):
        return "berkas tersimpan sebagai UTF-16 (pilihan \"Unicode\" di Notepad), bukan UTF-8.", SAVE_AS_UTF8
    return f"berkas bukan teks UTF-8 (byte 0x{raw[start]:02X} tidak sah).", SAVE_AS_UTF8
