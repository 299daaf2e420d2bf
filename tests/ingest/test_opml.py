"""OPML: folders flattened into categories, round trips, and hostile documents refused safely."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from newsfold.ingest.opml import OpmlError, OpmlOutline, read_opml, write_opml

FIXTURE = Path(__file__).parent / "fixtures" / "opml" / "subscriptions.opml"
SITE = "http://news.example.test"


def test_nested_folders_become_categories() -> None:
    assert read_opml(FIXTURE.read_bytes()) == [
        OpmlOutline(f"{SITE}/feeds/rss20.xml", "Harbour Town Courier", f"{SITE}/", "News/Local"),
        OpmlOutline(f"{SITE}/feeds/rss10.rdf", "Courier: Business", None, "News/Local"),
        OpmlOutline(f"{SITE}/feeds/atom.xml", "Courier (Atom)", f"{SITE}/", "News"),
        # a folder named by its title attribute; the feed's attribute spelt "xmlurl"
        OpmlOutline(f"{SITE}/feeds/rss092.xml", "Courier: Sport", None, "Sport & leisure"),
        # its text only repeats the URL: no title.  The duplicate rss20 further down is dropped,
        # as are the plain link outline and the empty folder.
        OpmlOutline(f"{SITE}/feeds/feed.json", None, None, None),
    ]


def test_written_opml_has_folders_and_reads_back() -> None:
    outlines = read_opml(FIXTURE.read_bytes())
    text = write_opml(outlines, title="Ada's <sources> & more")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    root = etree.fromstring(text.encode())
    assert root.findtext("head/title") == "Ada's <sources> & more"
    news = root.find("body/outline")
    assert news is not None
    assert news.get("text") == "News"
    local = news.find("outline")
    assert local is not None
    assert local.get("text") == "Local"
    assert [o.get("xmlUrl") for o in local] == [f"{SITE}/feeds/rss20.xml", f"{SITE}/feeds/rss10.rdf"]
    assert read_opml(text.encode()) == outlines


def test_writer_keeps_a_url_once_and_drops_empty_path_parts() -> None:
    text = write_opml(
        [
            OpmlOutline("http://a.test/feed", "A", None, "/News//Local/"),
            OpmlOutline("http://a.test/feed", "A again", None, None),
        ]
    )
    assert read_opml(text.encode()) == [OpmlOutline("http://a.test/feed", "A", None, "News/Local")]


def test_characters_xml_cannot_carry_are_dropped_when_writing() -> None:
    text = write_opml([OpmlOutline("http://a.test/feed", "Bell\x07 and\x00 nul", None, "Fo\x1bld")])
    assert read_opml(text.encode()) == [OpmlOutline("http://a.test/feed", "Bell and nul", None, "Fold")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not OPML: the document is empty"),
        (b'<rss version="2.0"><channel/></rss>', "not OPML: the root element is <rss>"),
        (b"<opml><body><outline xmlUrl='x'></body></opml>", "malformed OPML at line 1: "),
        (b"\x89PNG\r\n\x1a\n", "malformed OPML"),
    ],
)
def test_unreadable_documents_say_why(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError) as caught:
        read_opml(data)
    assert str(caught.value).startswith(message)


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    in_attribute = f"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>
<opml version="2.0"><body><outline text="&xxe;" xmlUrl="http://a.test/feed"/></body></opml>"""
    with pytest.raises(OpmlError) as caught:
        read_opml(in_attribute.encode())
    assert "TOP-SECRET" not in str(caught.value)
    in_text = f"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>
<opml version="2.0"><head><title>&xxe;</title></head>
<body><outline text="Feed" xmlUrl="http://a.test/feed"/></body></opml>"""
    outlines = read_opml(in_text.encode())
    assert outlines == [OpmlOutline("http://a.test/feed", "Feed", None, None)]
    assert "TOP-SECRET" not in repr(outlines)


def test_entity_bomb_is_refused_quickly() -> None:
    entities = ['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    bomb = f"""<?xml version="1.0"?>
<!DOCTYPE opml [{"".join(entities)}]>
<opml version="2.0"><body><outline text="&a9;" xmlUrl="http://a.test/feed"/></body></opml>"""
    start = time.monotonic()
    with pytest.raises(OpmlError):  # libxml2 stops expanding: "amplification factor exceeded"
        read_opml(bomb.encode())
    assert time.monotonic() - start < 5


# --- properties ---------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: f"<opml><body>{t}".encode())))
def test_any_bytes_give_outlines_or_an_opml_error(data: bytes) -> None:
    try:
        outlines = read_opml(data)
    except OpmlError:
        return
    assert len({o.url for o in outlines}) == len(outlines)


# Text XML can carry, with the characters that need escaping well represented; no surrounding
# spaces (read_opml trims them).
_XML_TEXT = (
    st.text(
        alphabet=st.one_of(
            st.sampled_from("&<>\"'/ é€😀\t\n"),
            st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"),
        ),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
_URL = st.builds(lambda path: f"http://feeds.example.test/{path}", _XML_TEXT)
_OUTLINE = st.builds(
    OpmlOutline,
    url=_URL,
    title=st.none() | _XML_TEXT,
    site_url=st.none() | _URL,
    category=st.none()
    | st.lists(_XML_TEXT.filter(lambda t: "/" not in t), min_size=1, max_size=3).map("/".join),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_OUTLINE, max_size=8), _XML_TEXT)
def test_write_then_read_round_trips(outlines: list[OpmlOutline], title: str) -> None:
    assume(all(o.title != o.url for o in outlines))  # a title equal to its URL reads back as none
    first: dict[str, OpmlOutline] = {}
    for outline in outlines:
        first.setdefault(outline.url, outline)
    again = read_opml(write_opml(outlines, title).encode())
    assert sorted(again, key=lambda o: o.url) == sorted(first.values(), key=lambda o: o.url)
