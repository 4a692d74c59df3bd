"""The recap pages, the board and the open data of a site build, with what they reuse of earlier
builds: a year's figures and a complaint's stage measures by its view's key, a complaint's
open-data rows by its file and what the rows show of its evidence.

They read only what the build's context holds (the report, the records, the views' keys), never a
page written by the build.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.outputs import opendata, recap_pages
from pipeline.outputs.board import board_moment
from pipeline.plugin.cache import Memo, plain_moment, quick_key
from pipeline.plugin.keptviews import whole_view

PLACES = "opendata-places"   # the cache file of each open-data row's lines' places


class RecapAndData:
    """Writes the recap, the board and the open data of `generator`'s build (its context made)."""

    def __init__(self, generator):
        self.generator = generator
        self.environment = generator.environment
        self.cache = generator.cache
        self.figures_memo = self.measures_memo = None

    @property
    def view_keys(self) -> dict:
        return self.generator.view_keys   # (made after the open data starts: the recap only needs them)

    def write(self, write) -> None:
        """`write(save_as, template, url=, current=, inputs=, **context)` each recap and board page;
        each memo is saved as soon as its part is made."""
        generator, kept = self.generator, bool(self.environment)
        self.figures_memo = Memo(self.cache.load("figures"))
        self.measures_memo = Memo(self.cache.load("measures"), packed=False)
        views = {view["id"]: view for view in generator.views}   # (the board shows them as the pages do)
        for page in recap_pages.site_pages(generator.report, generator.policy, site=generator.site,
                                           render_md=generator.render_md,
                                           view_of=lambda item: whole_view(views[item.complaint.id]),
                                           kept_figures=self._kept_figures if kept else None,
                                           board_key=self._board_key if kept else None,
                                           kept_measures=self._kept_measures if kept else None):
            write(page.save_as, page.template, url=page.url, current=page.current, inputs=page.inputs,
                  **page.context)
        self.figures_memo.save_and_release(self.cache, "figures")
        self.measures_memo.keep(self.view_keys.values())   # (a year not made again keeps its measures)
        self.measures_memo.save_and_release(self.cache, "measures")

    def open_data(self):
        """Write the open data into the output folder (it needs the report and the records, not
        the views); returns the files it wrote (relative to the output folder) with their sha256."""
        generator = self.generator
        output = Path(generator.output_path)
        kept = KeptRows(generator) if self.environment else None
        written = opendata.write_all(output, generator.loaded, generator.report, base_url=generator.site["base_url"],
                                     kept=kept)
        shas = kept.shas if kept is not None else {}
        return [(Path(path).relative_to(output).as_posix(), shas.get(Path(path).name))
                                       for path in written]

    def _kept_figures(self, year: int, items: list, make):
        """A year's recap figures, reused when its public complaints' views have the same keys (a
        view's key holds its file and every mark the figures count; "now" is set afresh)."""
        keys = [self.view_keys.get(item.complaint.id) for item in items]
        return make() if None in keys else self.figures_memo.reuse(quick_key(self.environment, "figures", year, keys),
                                                                   make)

    def _kept_measures(self, item, make):
        """A complaint's stage measures for the recap (`figures.stage_measures`), reused when its
        view's key (its file and marks) is the same."""
        key = self.view_keys.get(item.complaint.id)
        return make() if key is None else self.measures_memo.reuse(key, make)

    def _board_key(self, year: int, month: int, items: list) -> str | None:
        """The key of a month's board: its complaints' view keys (file and marks) and when each
        response reached the public (what orders the board)."""
        keys = [(self.view_keys.get(item.complaint.id), board_moment(item, self.generator.policy.tz))
                for item in items]
        return None if any(key is None for key, _ in keys) else quick_key("board", year, month, keys)


def rows_key(generator, item, source: tuple, target_passed: bool | None) -> str:
    """A complaint's open-data rows' key: its file (`source`), what the rows show of its evidence
    and stage results (`opendata.row_inputs`, moments as plain numbers), the site's address and
    whether its follow-up's target day has passed (then it is marked late); the policy and the
    program are in the environment. Remembered in its kept judgment's memo, as the view's key is
    (`keptviews.view_key`): keying 10,000 complaints' rows again took the open data's process
    0.12 s of a rebuild."""
    memo, remembered = item.memo, ("rows", target_passed, generator.site["base_url"])
    key = memo.get(remembered) if memo is not None else None
    if key is None:
        times, stages = opendata.row_inputs(item)
        key = quick_key(generator.environment, source, generator.site["base_url"],
                        [plain_moment(time) for time in times],
                        [(stage, plain_moment(due), status, flagged) for stage, due, status, flagged in stages],
                        target_passed)
        if memo is not None:
            memo[remembered] = key
    return key


class KeptRows:
    """What a build keeps of its open data for the next (`opendata.write_all`'s `kept`): each
    complaint's rows in a memo by their inputs (for a build whose output is new, as on CI), and
    each row's lines' places in the files the build wrote (for a build beside that output: copied
    from there, not made or unpacked again)."""

    def __init__(self, generator):
        self.generator = generator
        self.cache = generator.cache
        self.memo = Memo(self.cache.load("rows"), compressed=True)
        kept = self.cache.load(PLACES)
        files, places = kept.get("files"), kept.get("places")
        self.places = places if isinstance(places, dict) and isinstance(files, dict) else {}
        self.previous = {}
        writer = generator.settings.get("PENGADUAN_WRITER")
        for name in opendata.LINE_FILES:
            found = writer.kept_file(f"{opendata.DATA_DIR}/{name}") if writer is not None else None
            if self.places and found is not None and found[1] == files.get(name):
                self.previous[name] = found[0]
        self._copied: list = []
        self.shas: dict = {}

    def key(self, item) -> str | None:
        """A complaint's rows' key (`rows_key`): the build's process made it with the view's key,
        before this process was forked (else it is made here)."""
        generator = self.generator
        found = generator.rows_keys.get(item.complaint.id)
        if found is not None:
            return found
        source = generator.records_memo.keys_by_path.get(str(item.complaint.path))
        return None if source is None else \
            rows_key(generator, item, source, generator.target_day_passed(item.complaint))

    def place(self, key: str) -> tuple | None:
        """The key's lines' places in the previous files: ((offset, length) in each), else None."""
        found = self.places.get(key) if self.previous else None
        return found if _places(found) else None

    def rows(self, key: str, make):
        return self.memo.reuse(key, make)

    def copied(self, key: str) -> None:
        self._copied.append(key)

    def written(self, places: dict, shas: dict) -> None:
        """Save this build's rows and places (each key's rows kept, copied or not)."""
        self.shas = shas
        self.memo.keep(self._copied)
        self.memo.save_and_release(self.cache, "rows")
        self.cache.save(PLACES, {"files": shas, "places": places})


def _places(found) -> bool:
    """Three (offset, length) pairs of whole numbers (a damaged cache must not stop the build)."""
    return isinstance(found, tuple) and len(found) == 3 and all(
        isinstance(pair, tuple) and len(pair) == 2 and all(type(number) is int and number >= 0 for number in pair)
        for pair in found)
