"""Writing a site straight into a folder: `pelican -s pelicanconf.py` without `pengaduan build`
(Pelican's own output folder, no staging and no manifest). The plugin writes through the same
interface as `sitewriter.SiteWriter`, which keeps nothing and skips nothing here."""
from __future__ import annotations

from pathlib import Path

from pipeline.outputs.sitewriter import place_file


class DirectWriter:
    """Writes every file straight into a folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def keep_if_rendered_from(self, relative: str, key: str) -> bool:
        return False

    def mark(self):
        return None

    def since(self, mark):
        return None

    def take(self, written) -> None:
        pass   # the other process wrote straight into the folder

    def final(self, relatives: list[str], shas: dict | None = None) -> None:
        pass   # (no gate reads them early)

    def keep_folder_if_rendered_from(self, prefix: str, key: str) -> bool:
        return False

    def prepare_manifest(self) -> None:
        pass   # (no manifest)

    def sha_of(self, relative: str) -> str | None:
        return None

    def file_of(self, relative: str) -> str:
        return str(self.folder / relative.lstrip("/"))

    def write(self, relative: str, data: bytes, key: str | None = None, source: Path | None = None) -> None:
        target = self.folder / relative.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        place_file(target, data, source)
