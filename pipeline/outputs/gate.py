"""The last check of every build: no private value the records hold is in any built file.

The allowlist (`privacy.public_view`) decides what the site may show; this gate checks what it
did show. Before `pengaduan build` swaps the new site in, every file written (HTML, XML, JSON,
CSV, the sitemap, the search index; the text inside gzip and zip files too) is searched for:

- every value of every private field of every complaint file (`pelapor.*`, `lapor_tim.petugas`,
  `rapat.peserta`, ...: the schema's `x-visibility: private`, except `privasi_diperiksa`, whose
  fragments were reviewed as publishable; and a reporter's `nama` that names no one, "Hamba Allah",
  "Anonim", "Keluarga pasien": `reportertext.name_parts`), valid or not, and inside it each e-mail address and
  @account, and (long or many-lined) each line and sentence of at least NOTE_WORDS words;
- every line of the private notes (the file's body) of at least NOTE_WORDS words;
- the id, title and summary of every `rahasia` complaint;
- the names and e-mail addresses of everyone in the git history (authors, committers, co-authors
  of `Co-authored-by:` trailers; staff; not a program's: `is_program`).

A value that the site publishes by design is not a secret: the policy's values and the theme's
text (not their comments), and (except reporter fields and confidential ids) text of public
complaint fields. A staff field that holds a role ("Penanggung jawab poli umum"), each word one
of `ROLE_WORDS` or of the site's own text, is not searched for.
One search per file for all values at once (Aho-Corasick, `pyahocorasick`), over the file's text
with tags made spaces, entities and JSON escapes decoded, spaces and case folded, the characters no
reader sees (a soft hyphen, a zero-width space) taken out (so between two words of a value any run
of spaces, line breaks and tags matches), and over what each tag holds
(attribute values, links, comments: a reporter's name in an `alt` is as public as in the text),
again URL-decoded when the file has a URL's escape (`%20`); a value matches as whole words, and
a phone number in it in any layout (`gatenumbers`: `0815-5380-2916` as `+62 815 5380 2916`). The
files' paths (their addresses on the site) are searched too, as they are and with a slug's
hyphens made spaces.
A hit names the output file, the complaint and the field, never the value.

A build with a cache (`pengaduan build --cache`) remembers which files' bytes (sha256) were found
clean, and against which values (their sha256, never the values): a file with the same bytes is
then searched only for the values that are new since (none, usually). It also keeps each complaint
file's values by the file's git blob id (`collect`'s `memo`; beside the parsed records, which the
cache holds too), so an unchanged file is not walked again. Deleting the cache means every file is
read and searched again.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from pipeline.evidence.history import people
from pipeline.outputs.gatepaths import search_paths
from pipeline.outputs.gatesearch import file_size, search_job
from pipeline.outputs.gatetext import automaton, built_text, finders as finders_of, matches, normal
from pipeline.records.complaint import discover, field_at, read_complaint, shown_path
from pipeline.records.policy import POLICY_FILE
from pipeline.records.privacy import field_paths, public_view
from pipeline.records.reportertext import name_parts
from pipeline.records.source import SourceError, parse_yaml, read_text

NOTE_WORDS = 4          # a line of the private notes with at least this many words is searched for
MIN_CHARS = 4           # shorter values ("-", "Ibu") would match ordinary words
BARE_ACCOUNT = 6        # an @account this long is also looked for without its @ (instagram.com/nama.akun)
MAX_CHARS = 160         # long values: their first MAX_CHARS characters (to a word end) are enough
NOT_SECRET_FIELDS = {("privasi_diperiksa",)}
ROLE_FIELDS = {"rapat.peserta", "lapor_tim.petugas", "tanggapan.petugas"}
# Words of a Puskesmas's roles and offices, never of a person's name: a staff field whose every
# word is one of them or a word of the site's own text (theme, policy) holds a role
ROLE_WORDS = frozenset("""admin ambulans analis anggota apoteker asisten balita bendahara bidan data dokter
    gigi gizi humas imunisasi informasi jawab juru kader kasir kasubbag keamanan kebersihan kepala
    kesehatan kesling keuangan ketua kia koordinator lansia layanan lokmin loket masyarakat medis
    mutu operator pelaksana pelayanan pendaftaran pengelola penanggung perawat perawatan perkesmas
    petugas posyandu program promkes rekam ruang sanitarian satpam sekretaris sopir staf tim tu
    unit wakil""".split())
FORGES = ("github", "gitea", "forgejo", "gitlab")   # their own names as committers of web edits

_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w@])@[\w.]{3,}")   # an e-mail address, an @account
_MARKUP = re.compile(r"[*_`]+")
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


class Source(NamedTuple):
    """Where a private value comes from. (A tuple: the build cache keeps 100,000 of them at 10,000
    complaints as plain tuples, which unpickle in a sixth of a dataclass's time; `add_found`.)"""
    complaint: str      # complaint id (or file), or "riwayat git"
    field: str          # dotted field, "catatan internal (badan berkas)", "nama"/"email" for staff
    strong: bool        # reporter fields and confidential ids: published text never excuses them


@dataclass(frozen=True)
class Hit:
    output: str         # relative to the output folder
    complaint: str
    field: str
    in_path: bool = False   # in the file's path (its address on the site), not in its bytes


def _needles(value: str) -> set[str]:
    # a long or many-lined value: each of its lines and sentences of NOTE_WORDS words or more too,
    # as the notes' lines are (a meeting's notes as a `|` block were searched for their start only)
    pieces = ({piece.strip() for line in value.split("\n") for piece in _SENTENCE_END.split(line)
               if len(piece.split()) >= NOTE_WORDS} if "\n" in value.strip() or len(value) > MAX_CHARS else set())
    value = _SPACE.sub(" ", value).strip()
    found = set().union(*(_needles(piece) for piece in pieces if piece != value))
    # the addresses and accounts inside a value, each alone too: `kontak: "Instagram @ratnadewi.l
    # (DM)"` or "0815-... / fadli@example.com" (numbers: `gatenumbers`, in any layout)
    parts = {match.group().rstrip(".") for match in _ADDRESS.finditer(value)} if "@" in value else set()
    parts |= {part[1:] for part in parts if part.startswith("@") and len(part) > BARE_ACCOUNT}   # (a link's)
    for variant in {value, _MARKUP.sub("", value)} | parts:
        variant = normal(variant).strip()
        if len(variant) > MAX_CHARS:
            variant = variant[:MAX_CHARS].rsplit(" ", 1)[0]
        if len(variant) >= MIN_CHARS and not (variant.isdigit() and len(variant) < 6):
            found.add(variant)
    return found


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


class Secrets:
    """Every private value of a repository, and what the site publishes by design."""

    def __init__(self):
        self.sources: dict[str, list[Source]] = {}
        self.published: list[tuple] = []       # (file key or None, its public texts, `normal`, maybe pickled)
        self.site_text: list[str] = []         # policy, theme
        self.finder = None                     # `gatetext.Finder` of `sources`

    def add(self, value, complaint: str, field: str, strong: bool = False) -> None:
        for text in _strings(value):
            for needle in _needles(text):
                self.sources.setdefault(needle, []).append(Source(complaint, field, strong))

    def add_found(self, found: list) -> None:
        """`record_values`' (needle, complaint, field, strong) of each value."""
        sources, make = self.sources, tuple.__new__
        for item in found:
            if len(item) != 4:
                raise ValueError(f"not a value of record_values: {item!r}")
            sources.setdefault(item[0], []).append(make(Source, item[1:]))

    def finish(self, kept: dict | None = None) -> None:
        """Drop values the site publishes by design (see the module's docstring). `kept` (the
        build cache's, updated in place): what each file's public text held of the words searched
        before, by the file's key, so that only the words new since are searched in it again."""
        # (the staff pages are not among them: written by hand, they are what the gate checks)
        if not self.sources:
            return
        site = " \x00 ".join(built_text(text) for text in self.site_text)
        # "Penanggung jawab poli umum", "Ketua tim pengelola pengaduan": staff fields often hold a
        # role, written with the words of roles and of the site itself; a person's name is not
        # among them (public complaint texts do not count: "budi pekerti" and "Jalan Santoso"
        # once made "Budi Santoso" a role)
        role_words = {word for needle, sources in self.sources.items()
                      if any(source.field in ROLE_FIELDS for source in sources) for word in re.findall(r"\w+", needle)}
        searched = set(self.sources) | role_words
        everything = automaton(searched)   # (one automaton for the values and the role words)
        in_site = set(matches(everything, site))
        held = self._published_words(searched, everything, kept)
        for needle in in_site & set(self.sources):
            self.sources.pop(needle, None)
        for needle in held & set(self.sources):
            self._keep(needle, lambda source: source.strong)
        roles = [needle for needle, sources in self.sources.items()
                 if any(source.field in ROLE_FIELDS for source in sources)]
        used = in_site | ROLE_WORDS
        for needle in roles:
            if all(word in used for word in re.findall(r"\w+", needle)):
                self._keep(needle, lambda source: source.field not in ROLE_FIELDS)
        # the values left, in one automaton: dropped ones ("petugas") would match everywhere
        self.finder = automaton(self.sources)

    def _published_words(self, searched: set, everything, kept: dict | None) -> set:
        """The `searched` words (values and role words; `everything` is their automaton) that the
        public complaint texts hold, each text searched alone (no 15 MB join). A file whose key
        `kept` knows is searched only for the words new since; its old finds still count where
        still searched."""
        before = kept.get("words") if kept and isinstance(kept.get("words"), frozenset) else None
        hits_before = kept.get("hits") if before is not None and isinstance(kept.get("hits"), dict) else {}
        added = automaton(searched - before) if before is not None else None
        published, self.published = self.published, []
        held, hits_now = set(), {}
        for key, texts in published:
            old = hits_before.get(key) if key is not None else None
            if isinstance(texts, bytes) and (old is None or added is not None):
                texts = pickle.loads(texts)   # (kept pickled: most builds search no text again)
            if old is None:
                found = {word for text in texts for word in matches(everything, text)}
            elif added is None:
                found = old & searched
            else:
                found = (old & searched) | {word for text in texts for word in matches(added, text)}
            held |= found
            if key is not None:
                hits_now[key] = frozenset(found)
        if kept is not None:
            kept.clear()
            kept.update(words=frozenset(searched), hits=hits_now)
        return held

    def _keep(self, needle: str, keep) -> None:
        kept = [source for source in self.sources.get(needle, []) if keep(source)]
        if kept:
            self.sources[needle] = kept
        else:
            self.sources.pop(needle, None)


def collect(repo: Path, theme: Path | None = None, known: dict | None = None, memo=None,
            keys: dict | None = None, staff=None, kept: dict | None = None,
            paths: list[Path] | None = None) -> Secrets:
    """The private values of `repo`'s complaint files. `known`: shown path -> (front matter, body) of
    files the build already read (the plugin's loader), so they are not parsed twice; every other
    complaint file under content/complaints is read here. `memo` (the build cache: `get`, `put`)
    keeps each file's values under `keys[str(path)]`, its git blob id, beside the program and the
    schema (the cache's environment): equal bytes, equal values. `staff`: `people_later(repo)`,
    started before (else `people` is read now). `kept`: `Secrets.finish`'s, from the build cache.
    `paths`: `discover(repo)` (or `discover_names`) when the caller has it."""
    repo = Path(repo)
    known, keys = known or {}, keys or {}
    secrets = Secrets()
    every = field_paths("private")
    private_paths = [path for path in every if path not in NOT_SECRET_FIELDS   # leaves: named precisely
                     and not any(other[:len(path)] == path and other != path for other in every)]
    for path in discover(repo) if paths is None else paths:
        key = keys.get(str(path)) if memo is not None else None
        values = memo.get(key) if key is not None else None
        if values is None:
            path = Path(path)   # (`paths` may be their texts: `discover_names`)
            record = known.get(shown_path(path, repo)) or _read(path, repo)
            if record is None:
                continue
            values = record_values(*record, path.name, private_paths)
            if key is not None:   # (the public texts pickled apart: read only when searched again)
                values = values[0], pickle.dumps(values[1], protocol=pickle.HIGHEST_PROTOCOL)
                memo.put(key, values)
        found, published = values
        secrets.add_found(found)
        secrets.published.append((key, published))
    for person, email in staff() if staff is not None else people(repo):
        if not is_program(person, email):
            secrets.add(person, "riwayat git", "nama petugas")
            secrets.add(email, "riwayat git", "email petugas", strong=True)
    secrets.site_text += _site_text(repo, theme)
    secrets.finish(kept)
    return secrets


def is_program(person: str, email: str) -> bool:
    """Whether a git identity is a program's, whose name no page must avoid: an app
    ("github-actions[bot]"), a forge committing a web edit ("GitHub <noreply@github.com>"). A
    person's private address at a forge (`12345+rina@users.noreply.github.com`, which the web
    editor's commits carry) is a person's: their name is searched for like any other."""
    name, address = person.strip().lower(), email.strip().lower()
    local = address.partition("@")[0]
    return name.endswith("[bot]") or local.endswith("[bot]") or local in ("noreply", "no-reply") \
        or name in FORGES


def record_values(data: dict, body: str, file_name: str, private_paths: list) -> tuple[list, list]:
    """What one complaint file gives the gate: (needle, complaint, field, strong) of each private
    value (a `Source` after the needle), and its public text (`normal`), which excuses the values
    it holds."""
    name = data.get("id") if isinstance(data.get("id"), str) else file_name
    found: list = []

    def add(value, field: str, strong: bool = False) -> None:
        found.extend((needle, name, field, strong) for text in _strings(value) for needle in _needles(text))

    for field in private_paths:
        value = field_at(data, field)
        if field == ("pelapor", "nama") and isinstance(value, str) and not name_parts(value):
            continue   # ("Hamba Allah", "Keluarga pasien", "Anonim": no one named; their words are ordinary text)
        add(value, ".".join(field), field[0] == "pelapor")
    for line in body.split("\n"):
        text = line.strip().lstrip("-*>#0123456789. ").strip()
        if len(text.split()) >= NOTE_WORDS:
            add(text, "catatan internal (badan berkas)")
    if data.get("kerahasiaan") == "rahasia":
        add(data.get("id"), "id (pengaduan rahasia)", strong=True)
        add(data.get("judul"), "judul (pengaduan rahasia)")
        add(data.get("ringkasan"), "ringkasan (pengaduan rahasia)")
    elif data.get("kerahasiaan", "terbuka") == "terbuka":
        return found, [normal(text) for text in _strings(public_view(data))]
    return found, []


def _read(path: Path, repo: Path) -> tuple[dict, str] | None:
    """Front matter and body of a complaint file, read as the build's loader reads it (its own
    reading once missed a file whose first line was `--- `, which the build published); what the
    loader refuses is skipped: the build stops on it. The gate's worker may read a file before the
    build has: the loader refuses YAML aliases, so no "billion laughs" is ever walked."""
    try:
        record = read_complaint(path, repo)
    except SourceError:
        return None
    return record.data, record.body


def _site_text(repo: Path, theme: Path | None) -> list[str]:
    """What the site publishes by design: the policy's values as its loader reads them, and the
    theme's files without their Jinja comments. Text no page shows excuses nothing: a reporter's
    name in a YAML comment of the policy once let a staff page publish it."""
    texts = []
    try:
        policy = parse_yaml(read_text(repo / POLICY_FILE, POLICY_FILE), POLICY_FILE).data
        texts.append("\n".join(_strings(policy)))
    except (SourceError, OSError):
        pass   # (an unreadable policy stops the build; here it excuses nothing)
    folders = [theme] if theme else []   # not the staff pages: written by hand, they are what is checked
    for path in [path for folder in folders if folder.is_dir()
                 for path in sorted(folder.rglob("*")) if path.suffix in (".md", ".html", ".xml", ".txt")]:
        try:
            texts.append(_JINJA_COMMENT.sub(" ", path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return texts


def site_files(folder: Path) -> list[tuple[str, str]]:
    """(path relative to the site, file) of every file under `folder`."""
    prefix = len(str(folder).rstrip(os.sep)) + 1
    return [(os.path.join(base, name)[prefix:].replace(os.sep, "/"), os.path.join(base, name))
            for base, _, names in os.walk(folder) for name in names]


@dataclass
class ScanPlan:
    """What `scan` works out before it reads a file (the early gate makes it while the site is built)."""
    hashed: dict        # sha256 of each value -> the value
    clean: set          # sha256 of the files found clean before
    pieces: set         # sha256 of the pieces found clean before
    words: dict         # "all" / "added" (new since the last scan) -> the values
    finders: dict       # the same -> their automaton; "shortlists" -> the same -> their `gatetext.Shortlist`


def scan_plan(secrets: Secrets, known: dict | None = None) -> ScanPlan:
    """`scan`'s plan for `secrets` after the scan that left `known` (see `scan`)."""
    # the state names values by their hash: the cache never holds a private value in clear
    hashed = {hashlib.sha256(needle.encode("utf-8", "surrogatepass")).hexdigest(): needle
              for needle in secrets.sources}
    clean, pieces, words = set(), set(), {"all": list(secrets.sources), "added": []}
    if known and isinstance(known.get("clean"), set) and isinstance(known.get("needles"), frozenset):
        words["added"] = [needle for digest, needle in hashed.items() if digest not in known["needles"]]
        clean, pieces = known["clean"], known.get("pieces") or set()
    return ScanPlan(hashed, clean, pieces, words, finders_of(words, {"all": secrets.finder}))


def scan(files, secrets: Secrets, known: dict | None = None, workers=None, plan: ScanPlan | None = None,
         ahead: dict | None = None, ready: dict | None = None) -> list[Hit]:
    """Every (output file, complaint, field) whose private value is in the built site. `files`:
    the site's folder, or (relative path, file) or (relative path, file, sha256) of every file
    the site will hold. `known`: what a previous scan found clean (`load_state`); a file with
    the same bytes is searched only for the values added since, and so is each piece of a big
    file (`gatepieces`). `known` is updated in place.
    `workers`: `gateworkers.GateWorkers`, to search big sites on two more cores. `plan`:
    `scan_plan(secrets, known)` when the caller made it already. `ahead`: {sha256: values found}
    of bytes found clean before and already searched with this plan's automaton of the values
    added since (`earlygate.EarlyGate.meanwhile`): not read again. `ready`: {sha256: `search_job`'s
    answer} of new bytes already searched with this plan's automata (`EarlyGate.search_ready`)."""
    if isinstance(files, (str, Path)):
        files = site_files(Path(files))
    if not hasattr(files, "paths"):
        files = list(files)
    plan = plan or scan_plan(secrets, known)
    hashed, clean, pieces, words, finders = plan.hashed, plan.clean, plan.pieces, plan.words, plan.finders
    in_paths, paths_clean = search_paths(files.paths() if hasattr(files, "paths") else
                                         [shown for shown, *_ in files], finders, clean)
    hits: dict[Hit, None] = {Hit(path, source.complaint, source.field, in_path=True): None
                             for path, needle in in_paths for source in secrets.sources.get(needle, ())}
    jobs = []   # (shown, path, sha, which automaton) of every file to read
    # with no value added since, a file of bytes found clean is clean still: looked up all at once
    unknown = getattr(files, "unknown", None) if finders["added"] is None else None
    still_clean, files = unknown(clean) if unknown is not None else (set(), files)
    for shown, path, *sha in files:
        sha = sha[0] if sha else None
        which = "added" if sha is not None and sha in clean else "all"
        if finders[which] is not None:
            jobs.append((shown, path, sha, which))
        elif sha is not None:
            still_clean.add(sha)
    ahead, ready = ahead or {}, ready or {}

    def known_answer(sha, which):
        return (ahead[sha], set()) if which == "added" and sha in ahead else \
            ready.get(sha) if which == "all" and sha is not None else None
    answers = [known_answer(sha, which) for _, _, sha, which in jobs]
    searched = iter(_search_all([job for job, answer in zip(jobs, answers) if answer is None],
                                finders, words, pieces, workers))
    results = [answer if answer is not None else next(searched) for answer in answers]
    if paths_clean:
        still_clean.add(paths_clean)
    still_pieces: set = set()
    for (shown, _, sha, _), (found, clean_pieces) in zip(jobs, results):
        for needle in found:
            for source in secrets.sources.get(needle, ()):
                hits[Hit(shown, source.complaint, source.field)] = None
        if sha is not None and not found:
            still_clean.add(sha)
        still_pieces |= clean_pieces
    if known is not None:
        known.clear()
        known.update(needles=frozenset(hashed), clean=still_clean, pieces=still_pieces)
    return sorted(hits, key=lambda hit: (hit.output, hit.complaint, hit.field))


PARALLEL_BYTES = 4 * 1024 * 1024   # below this, the workers' round trip costs more than it saves


def _search_all(jobs, finders: dict, words: dict, pieces: set, workers) -> list[tuple[set, set]]:
    """(the private values found, the digests of its pieces found clean) of each job's file: by
    the workers when there is much to read (they make their own automata of `words`), else, or
    when they fail, here. `pieces`: the digests of pieces found clean before."""
    if workers and sum(file_size(job[1]) for job in jobs) >= PARALLEL_BYTES:
        found = workers.search([(path, which) for _, path, _, which in jobs], words, pieces)
        if found is not None:
            return found
    return [search_job(path, which, finders, pieces) for _, path, _, which in jobs]


def report(hits: list[Hit], shown_output: str, limit: int = 40) -> str:
    lines = [f"GERBANG PRIVASI: {len(hits)} data rahasia ditemukan di hasil build. Situs TIDAK diterbitkan; "
             "folder hasil lama tidak diubah."]
    for hit in hits[:limit]:
        where = " (di nama berkasnya, yaitu alamatnya di situs)" if hit.in_path else ""
        lines.append(f"  {shown_output}/{hit.output}{where}: {hit.field} dari {hit.complaint}")
    if len(hits) > limit:
        lines.append(f"  ... dan {len(hits) - limit} temuan lain.")
    lines.append("Saran: hapus data itu dari halaman, templat, teks publik atau nama berkas yang menampilkannya "
                 "(nilainya sendiri tidak ditampilkan di sini), lalu bangun ulang. Gerbang ini tidak dapat dimatikan.")
    lines.append("Data dicari seperti pembaca membacanya: juga di tautan, nama berkas (mis. surat_nama_pelapor.pdf) "
                 "dan teks gambar (alt), juga bila ditulis dengan huruf yang mirip (huruf lebar, huruf tebal atau "
                 "huruf hias seperti di media sosial), dengan tanda petik atau tanda hubung tipografis (Nur\u2019aini "
                 "sama dengan Nur'aini) atau disisipi karakter yang tidak terlihat.")
    if any(hit.field.endswith("kontak") for hit in hits):
        lines.append("Nomor telepon dicari dalam segala penulisan: dengan +62 atau 0, dengan atau tanpa spasi, "
                     "tanda hubung, titik atau tag di antara angkanya, juga dengan angka lebar (\uff10\uff18\uff11\uff15).")
    if any(hit.in_path for hit in hits):
        lines.append("Temuan di nama berkas: ganti `Slug:` halaman itu (atau nama berkasnya) dengan kata yang "
                     "tidak menyebut orang.")
    return "\n".join(lines)
