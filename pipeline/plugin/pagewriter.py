"""How the complaints generator renders a template into a built file (`PageWriter.write`).

Each page is keyed by what it is made from: the program, schema, theme and settings (the build
cache's environment), its name, template and link depth, the site-wide values its template names
(`globals_key`) and the inputs the caller gives (a complaint's view key, a listing's entries).
When the previous build wrote the file from the same key, it is kept as it is, unrendered (16,000
pages at 10,000 complaints). The urls written are listed for the sitemap. A second process
(`plugin.beside`) writes pages with its own copy of this writer; `made_here` packs what it wrote
and `take` adds it here.
"""
from __future__ import annotations

from functools import lru_cache

from pelican.utils import get_relative_path, path_to_url

from pipeline.plugin.cache import key_of, quick_key, referenced_names


class PageWriter:
    """The generator's pages into `out` (the site writer, or a `DirectWriter` under plain Pelican)."""

    def __init__(self, generator, out):
        self.generator = generator   # its Jinja environment, context and build cache
        self.out = out
        self.relative = generator.settings.get("RELATIVE_URLS", False)
        self.common: dict = {}     # values every page gets (set once the site's filters are known)
        self.written: list = []    # (url, lastmod) for the sitemap
        self._globals: dict = {}   # (template, SITEURL, page values' names) -> key of the site-wide values
        self.names: dict = {}      # template -> the names it (and what it includes) uses
        if generator.environment:  # parsed once per theme and program (0.1 s a build)
            self.names = {name: found for name, found in generator.cache.load("template-names").items()
                          if isinstance(found, list) and all(isinstance(word, str) for word in found)}

    def write(self, name: str, template: str, url=None, lastmod=None, relative_urls=None, inputs=None,
              **kwargs) -> str | None:
        """Render `template` into `name` (its HTML returned), or keep the previous build's file
        when `inputs` (what else the page is made from) and the rest of its key are the same (None)."""
        generator, out = self.generator, self.out
        relative_urls = self.relative if relative_urls is None else relative_urls
        template = template if "." in template else template + ".html"
        if url is not None:
            self.written.append((url, lastmod))
        if inputs is not None and generator.environment and "SITEURL" not in kwargs:
            # a page kept as it is: its key without a context made for it (16,000 at 10,000)
            siteurl = site_root_from(name.count("/")) if relative_urls else generator.context.get("SITEURL")
            known = self._globals.get((template, siteurl, tuple(sorted(kwargs))))
            if known is not None and out.keep_if_rendered_from(
                    name, quick_key(generator.environment, name, template, siteurl, known, inputs)):
                return None
        localcontext = generator.context.copy()
        localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
        if relative_urls:
            localcontext["SITEURL"] = localcontext["localsiteurl"] = site_root_from(name.count("/"))
        localcontext["output_file"] = name
        localcontext.update(self.common)
        localcontext.update(kwargs)
        key = None
        if inputs is not None and generator.environment:
            # (plain strings, numbers and lists: one pickle, not `key_of`'s walk, for 15,000 pages)
            key = quick_key(generator.environment, name, template, localcontext["SITEURL"],
                            self.globals_key(template, localcontext, kwargs), inputs)
            if out.keep_if_rendered_from(name, key):
                return None
        html = generator.env.get_template(template).render(localcontext)
        out.write(name, html.encode("utf-8"), key)
        return html

    def globals_key(self, template: str, localcontext: dict, per_page: dict) -> str:
        """The key of the site-wide values a template uses (what it names from its context, and
        what the listing entries and filter links it calls name)."""
        memo_key = (template, localcontext["SITEURL"], tuple(sorted(per_page)))
        if memo_key in self._globals:
            return self._globals[memo_key]
        names = self.names.get(template)
        if names is None:
            env = self.generator.env
            names = referenced_names(env, template)
            for helper, helper_template in (("entri", "_entri.html"), ("saring", "_saring.html")):
                if helper in names:
                    names |= referenced_names(env, helper_template) | {"FILTERS"}
            self.names[template] = names = sorted(names)
        if "output_file" in names or "localsiteurl" in names:
            memo_key = None  # a template that names its own file: its key is its own
        values = [(name, localcontext[name]) for name in names
                  if name in localcontext and name not in per_page and name != "SITEURL"
                  and not callable(localcontext[name])]
        found = key_of(values)
        if memo_key is not None:
            self._globals[memo_key] = found
        return found

    def made_here(self, work, also=None):
        """`work()`'s pages and files, and the template names it found: what the build needs back
        from a second process (`Beside`); with `also()` after the work, if given."""
        def run():
            mark, first, names = self.out.mark(), len(self.written), set(self.names)
            work()
            return self.written[first:], self.out.since(mark), \
                {name: found for name, found in self.names.items() if name not in names}, \
                also() if also is not None else None
        return run

    def take(self, made):
        """What `made_here`'s work wrote in a second process, added to this build's; its `also()`."""
        listed, files, names, also = made
        self.written.extend(listed)
        self.out.take(files)
        self.names.update(names)
        return also


@lru_cache(maxsize=None)
def site_root_from(depth: int) -> str:
    """Pelican's relative SITEURL of a page `depth` folders deep ("../.."), worked out once a depth."""
    return path_to_url(get_relative_path("/".join(["x"] * depth + ["index.html"])))
