"""Recap, board and data pages rendered with the theme's templates outside Pelican (for tests
and bench/bench_recap.py; the site renders them through Pelican's own environment)."""
from __future__ import annotations

from jinja2 import Environment, FileSystemLoader

from pipeline.outputs.charts import COLOURS
from pipeline.outputs.recap_pages import THEME, Page
from pipeline.records.policy import Policy


def render_page(page: Page, site: dict, siteurl: str = "", menu=None) -> str:
    env = Environment(loader=FileSystemLoader(str(THEME / "templates")), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    template = env.get_template(page.template)
    return template.render(SITE=site, SITEURL=siteurl, MENU=menu or [], pages=[], current=page.current,
                           **page.context)


def site_defaults(policy: Policy) -> dict:
    """A SITE dict like the site plugin's."""
    identity = policy.identity
    return {"judul": "Respon Pengaduan Pelayanan", "puskesmas": identity.fields(), "nama": policy.name, "logo": None,
            "utama": identity.main_colour or COLOURS["met"], "aksen": identity.accent_colour or COLOURS["breached"],
            "base_url": "", "feed": "feeds/tanggapan.atom.xml", "css": "tema/situs.css"}
