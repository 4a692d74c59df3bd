"""The recap pages, the board and the open data of a site build, with what they reuse of earlier
builds: a year's figures and a complaint's stage measures by its view's key, a complaint's
open-data rows by its file and what the rows show of its evidence.

They read only what the build's context holds (the report, the records, the views' keys), never a
page written by the build.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.outputs import markup, opendata, recap_pages
from pipeline.outputs.board import board_moment
from pipeline.plugin.cache import Memo, quick_key


class RecapAndData:
    """Writes the recap, the board and the open data of `generator`'s build (its context made)."""

    def __init__(self, generator):
        self.generator = generator
        self.environment = generator.environment
        self.cache = generator.cache
        self.figures_memo = self.measures_memo = self.rows_memo = None

    @property
    def view_keys(self) -> dict:
        return self.generator.view_keys   # (made after the open data starts: the recap only needs them)

    def write(self, write) -> None:
        """`write(save_as, template, url=, current=, inputs=, **context)` each recap and board page;
        each memo is saved as soon as its part is made."""
        generator, kept = self.generator, bool(self.environment)
        self.figures_memo = Memo(self.cache.load("figures"))
        self.measures_memo = Memo(self.cache.load("measures"), packed=False)
        for page in recap_pages.site_pages(generator.report, generator.policy, site=generator.site,
                                           render_md=generator.render_md,
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
        the views); returns the Markdown renders it made, for the build's cache (`markup.take`),
        and the files it wrote (relative to the output folder)."""
        generator, renders = self.generator, markup.mark()
        self.rows_memo = Memo(self.cache.load("rows"), compressed=True)
        output = Path(generator.output_path)
        written = opendata.write_all(output, generator.loaded, generator.report, base_url=generator.site["base_url"],
                                     cached=self._open_data_rows if self.environment else None)
        self.rows_memo.save_and_release(self.cache, "rows")
        return markup.since(renders), [Path(path).relative_to(output).as_posix() for path in written]

    def _open_data_rows(self, item, make):
        """A complaint's open-data rows, reused when its file and what the rows show of its
        evidence and stage results (`opendata.row_inputs`), the site's address and whether its
        follow-up's target day has passed are the same (then it is marked late; the policy and
        the program are in the environment)."""
        generator = self.generator
        source = generator.records_memo.keys_by_path.get(str(item.complaint.path))
        if source is None:
            return make()
        return self.rows_memo.reuse(quick_key(self.environment, source, generator.site["base_url"],
                                              opendata.row_inputs(item), generator.target_day_passed(item.complaint)),
                                    make)

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
