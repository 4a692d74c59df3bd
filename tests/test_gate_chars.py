"""How the privacy gate reads characters (`outputs/gatechars.py`): as a reader of the page reads
them. Characters no reader sees are taken out; look-alikes of ASCII letters and digits (full-width,
the bold and script letters of "fancy text", circled, ligatures, superscript, other scripts'
digits) are those letters and digits; and the list of look-alikes is this Python's Unicode."""
from pipeline.outputs.gatechars import LOOKALIKE, UNSEEN, as_read, lookalikes, read_otherwise, read_otherwise_in
from pipeline.outputs.gatetext import automaton, built_text, matches, normal, shortlist


def test_the_look_alikes_are_every_character_unicode_reads_as_an_ascii_letter_or_digit():
    """`LOOKALIKE` is written out (making it from `unicodedata` takes 0.3 s, in every process);
    this checks it against `unicodedata` of the Python that runs: a new Python with a new Unicode
    fails here until the list is made again (`gatechars.lookalikes`)."""
    listed = lookalikes()
    written = [chr(code) for code in range(0x80, 0x110000) if not 0xD800 <= code < 0xE000 and LOOKALIKE.match(chr(code))]
    assert written == listed and len(listed) > 1900
    assert not any(LOOKALIKE.match(chr(code)) for code in range(0x80))
    assert not any(UNSEEN.match(char) for char in listed)


def test_a_text_is_read_as_a_reader_reads_it():
    bold = "\U0001d403\U0001d422\U0001d41a\U0001d427"                         # 𝐃𝐢𝐚𝐧
    assert as_read(f"{bold} \uff30\uff55\uff53\uff50\uff49\uff54\uff41\uff53\uff41\uff52\uff49") == "Dian Puspitasari"
    assert as_read("\u24b9\u24d8\u24d0\u24dd") == "Dian"                          # circled
    assert as_read("\U0001d4d3\U0001d4f2\U0001d4ea\U0001d4f7") == "Dian"          # bold script
    assert as_read("\ufb01tri Pus\u00adpi\u200btasari") == "fitri Puspitasari"    # a ligature; unseen ones
    assert as_read("\uff10\uff18\uff11\uff15 \u0660\u0668\u0661\u0665 \u2070\u2078") == "0815 0815 08"
    for plain in ("Jalan Melati \u2026 \u00e9 \u00b7 \u201c\u201d", "\u00a0"):   # (what is read as written)
        assert as_read(plain) == plain and not read_otherwise(plain)
    assert read_otherwise_in("x \u00b2".encode()) and not read_otherwise_in("x \u2026".encode())
    # typographic apostrophes and dashes, which phones and word processors type, are the ASCII signs
    assert as_read("Nur\u2019aini Ma\u02bcruf Al\u2013Farisi 0815\u20135380\u20142916 \u2212") == \
        "Nur'aini Ma'ruf Al-Farisi 0815-5380-2916 -"
    assert read_otherwise_in("x \u2014".encode()) and read_otherwise_in("x \u2019".encode())
    # (lowered before or after, the same letters: the gate lowers a built file's text first)
    assert all(as_read(char.lower()).lower() == as_read(char).lower() for char in lookalikes())


def test_a_name_typed_with_typographic_signs_is_found_either_way_round():
    """A phone types "Nur\u2019aini" where a keyboard types "Nur'aini" (and a word processor makes
    "Al-Farisi" "Al\u2013Farisi"): the record may hold one and the page the other."""
    for value, page in (("Siti Nur'aini", "<p>Bu Siti Nur\u2019aini</p>"),
                        ("Siti Nur\u2019aini", "<p>Bu Siti Nur'aini</p>"),
                        ("Siti Nur'aini", "<p>Bu Siti Nur&rsquo;aini</p>"),
                        ("Siti Nur'aini", '{"nama": "Siti Nur\\u2019aini"}'),
                        ("Ahmad Al-Farisi", "<p>Pak Ahmad Al\u2010Farisi</p>"),
                        ("Ahmad Al-Farisi", "<p>Pak Ahmad Al&ndash;Farisi</p>"),
                        # an address with full-width or small signs (what a Japanese or Chinese
                        # keyboard types, or a "fancy text" site makes)
                        ("dian.puspita@gmail.com", "<p>dian\uff0epuspita\uff20gmail\uff0ecom</p>"),
                        ("dian.puspita@gmail.com", "<p>dian.puspita\ufe6bgmail\u2024com</p>"),
                        ("@dian_puspita", "<p>IG: \uff20dian\uff3fpuspita</p>")):
        words = [normal(value)]
        assert set(matches(automaton(words), built_text(page))) == set(words), (value, page)
        assert shortlist(words).may_hold_bytes(page.encode()) and shortlist(words).may_hold(page), (value, page)


def test_a_name_written_with_combining_accents_is_found_either_way_round():
    """macOS and some keyboards write "é" as "e" and a combining acute accent: a record may hold
    one form and a page the other."""
    for value, page in (("D\u00e9sy Ratnasari", "<p>Ibu De\u0301sy Ratnasari</p>"),
                        ("De\u0301sy Ratnasari", "<p>Ibu D\u00e9sy Ratnasari</p>"),
                        ("D\u00e9sy Ratnasari", '{"nama": "De\\u0301sy Ratnasari"}'),
                        ("D\u00e9sy Ratnasari", "<p>Ibu De&#x301;sy Ratnasari</p>")):
        words = [normal(value)]
        assert set(matches(automaton(words), built_text(page))) == set(words), (value, page)


def test_a_name_with_a_title_or_degree_is_found_in_a_slug_a_file_name_and_run_together():
    """A dot is a space in the searched text, so "Hj. Ratna" is "hj  ratna" there: the slug
    `hj-ratna`, the file `surat_hj_ratna.png` and "Hj.Ratna" (one space or none) passed; and a
    value with two dots, written one way with one and the other way with the other, passed too."""
    for value, page in (("Hj. Ratna Dewi Anggraini", "terima-kasih-hj-ratna-dewi-anggraini"),
                        ("Hj. Ratna Dewi Anggraini", "surat_hj_ratna_dewi_anggraini.png"),
                        ("Hj. Ratna Dewi Anggraini", "<p>Ibu Hj.Ratna Dewi Anggraini</p>"),
                        ("Hj. Ratna Dewi Anggraini", "<p>Ibu Hj. Ratna Dewi Anggraini</p>"),
                        ("Hj.Ratna Dewi Anggraini", "<p>Ibu Hj. Ratna Dewi Anggraini</p>"),
                        ("Ratna, S.Kep.", "<p>oleh Ratna, S.Kep.</p>"),
                        ("Ratna, S.Kep.", "<p>oleh Ratna, S. Kep.</p>"),
                        ("Jl. Melati No.5 Kauman", "<p>di Jl.Melati No. 5 Kauman</p>"),
                        ("Jl.Melati No. 5 Kauman", "<p>di Jl. Melati No.5 Kauman</p>"),
                        ("Jl. Melati No.5 Kauman", "rumah-jl-melati-no-5-kauman"),
                        ("Jl. H. M. Yamin No. 5", "<p>di Jl. H.M. Yamin No.5</p>"),   # (four and five dots)
                        ("Jl. K.H. Ahmad Dahlan No. 3", "<p>Jl.K.H. Ahmad Dahlan No.3</p>")):
        words = [normal(value)]
        assert set(matches(automaton(words), built_text(page))) == set(words), (value, page)
    assert not set(matches(automaton([normal("Hj. Ratna Dewi")]), built_text("<p>Hj. Ratna Dewinta</p>")))
    # a value's last dot still ends it: "Catatan rapat internal." is not in "catatan rapat internal tim"
    for value in ("Catatan rapat internal.", "Rapat dengan dr. Sari."):
        assert not set(matches(automaton([normal(value)]), built_text(f"<p>{value[:-1]} tim pengelola</p>")))


def test_a_value_in_look_alike_characters_or_escapes_of_them_is_found_and_not_ruled_out():
    words = [normal("Dian Puspitasari"), normal("0815-5380-2916")]
    finder, short = automaton(words), shortlist(words)
    name, name_short = automaton(words[:1]), shortlist(words[:1])   # (no number: its letters tested alone)
    for page in ["<p>Bu \U0001d403\U0001d422\U0001d41a\U0001d427 Puspitasari</p>",
                 '{"nama": "\\ud835\\udc03ian Puspitasari"}',          # (a JSON escape of a letter beyond U+FFFF)
                 '{"nama": "\\uff24ian Puspitasari"}', "<p>&#xFF24;ian Puspitasari</p>",
                 '<a href="/?q=%EF%BC%A4ian%20Puspitasari">', '<a href="/?q=Dian%20Pu%CB%A2pitasari">',   # (ˢ: a modifier s)
                 "<p>Bu \u24b9ian Puspitasari</p>", "<p>Bu Dian Puspitasar\u2071</p>"]:
        assert set(matches(name, built_text(page))) == {"dian puspitasari"}, page
        assert name_short.may_hold_bytes(page.encode()) and name_short.may_hold(page), page
    for page in ["<p>\uff10\uff18\uff11\uff15 5380 2916</p>", '<a href="tel:%D9%A0815-5380-2916">',
                 "<p>0815_5380_2916</p>"]:
        assert set(matches(finder, built_text(page))) == {"0815-5380-2916"}, page
        assert short.may_hold_bytes(page.encode()), page
    assert not name_short.may_hold_bytes("<p>Bu \u00c9ian Puspit\u2014asari</p>".encode())   # (read as written: not her)
    assert not name_short.may_hold_bytes(b'{"nama": "\\u2026ian"}')
