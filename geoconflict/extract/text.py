"""Plain-text helpers: HTML to text, sentence splitting, a language check."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ..limits import MAX_SENTENCE_CHARS

__all__ = ["Sentence", "english_share", "html_to_text", "latin_share", "looks_like_html", "split_sentences"]

_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
                         "article", "header", "footer", "blockquote", "title"})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        if tag == "title":
            self._in_title = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML page or fragment rather than plain text."""
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or len(re.findall(r"</?(p|div|span|a|br)\b", head)) >= 3


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Return the visible text of an HTML page (scripts and styles dropped) and its title."""
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # noqa: BLE001 - HTMLParser is lenient; fall back to tag stripping
        return html.unescape(re.sub(r"<[^>]+>", " ", markup)), None
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    title = " ".join("".join(parser.title).split()) or None
    return text, title


@dataclass(frozen=True)
class Sentence:
    """A sentence with its position: ``index`` in the article, ``paragraph`` number."""

    text: str
    index: int
    paragraph: int


_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Lt.", "Col.", "Maj.", "Capt.", "Sgt.", "St.", "No.",
                  "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.",
                  "Dec.", "U.S.", "U.N.", "e.g.", "i.e.", "vs.", "approx.", "Govt.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])"
                           # pasted text drops the space: "the blast.According to", "said.\u201cWe"
                           r"|(?<=[a-z]{2}[.!?])(?=[\u201c\"]?[A-Z][a-z])|(?<=[.!?][\u201d\"])(?=[\u201c\"]?[A-Z])")


#: The longest line read as a link to another story ("Read more: <title>"): a title, not a paragraph.
_LINK_CHARS = 200


def split_furniture(text: str) -> tuple[str, str]:
    """Split a report's text from its page furniture: ``(story, furniture)``.

    Furniture is everything from a heading line of another page section ("Latest News", "Related
    stories", "Read more": ``lexicon/sentence_cues.csv``, role ``furniture``) on, once the story has
    begun; every link line to another story ("Read more: <its title>", anywhere in the text); and
    every teaser of another story: a short title line followed by a paragraph cut short with "...".
    Line breaks are kept so paragraphs stay apart.
    """
    from .lexicon import pattern

    heading = re.compile(rf"^\W*{pattern('sentence_cues', 'furniture')}\W*$", re.IGNORECASE)
    # "Read more: Bomb kills three in Panjgur", "ALSO READ | ...": a link to another story inside this one
    link = re.compile(rf"^\W*{pattern('sentence_cues', 'furniture')}\s*[:|\u00bb>\u2013\u2014-]\s*\w",
                      re.IGNORECASE)
    lines = text.split("\n")
    furniture = [False] * len(lines)
    seen = 0  # paragraphs of the story so far
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if len(stripped) <= _LINK_CHARS and link.match(stripped):
            furniture[i] = True
            continue
        if seen >= 2 and len(stripped) <= 40 and heading.match(stripped):
            furniture[i:] = [True] * (len(lines) - i)
            break
        if seen >= 2 and stripped.endswith(("...", "\u2026")) and not stripped.endswith(("....", "\u2026\u2026")):
            title = next((k for k in range(i - 1, -1, -1) if lines[k].strip()), None)
            # a teaser stands apart: blank lines around its title (hard-wrapped text has none)
            apart = title is not None and title < i - 1 and (title == 0 or not lines[title - 1].strip())
            if apart and title is not None and len(lines[title].strip()) <= 120 and \
                    not re.search(r"[.!?\"\u201d]$", lines[title].strip()):
                furniture[title] = furniture[i] = True
                continue
        seen += 1
    story = "\n".join("" if cut else line for line, cut in zip(lines, furniture))
    return story, "\n".join(line for line, cut in zip(lines, furniture) if cut)


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences, keeping paragraph numbers.

    Paragraphs are separated by blank lines or single newlines (news text
    rarely wraps lines inside a paragraph). A sentence longer than
    ``limits.MAX_SENTENCE_CHARS`` is cut at spaces into parts that short.
    """
    sentences: list[Sentence] = []
    paragraphs = [p.strip() for p in re.split(r"\n+", text) if p.strip()]
    for number, paragraph in enumerate(paragraphs):
        protected = paragraph
        for abbr in _ABBREVIATIONS:
            protected = protected.replace(abbr, abbr.replace(".", "\u2024"))
        for piece in _SENTENCE_END.split(protected):
            piece = " ".join(piece.replace("\u2024", ".").split())
            for part in _bounded(piece):
                sentences.append(Sentence(part, len(sentences), number))
    return sentences


def _bounded(piece: str) -> list[str]:
    """Cut a run-on "sentence" (text without punctuation) into parts of at most ``MAX_SENTENCE_CHARS``.

    Cuts fall at the last space before the limit, so words stay whole; work
    per sentence stays bounded however long the unpunctuated text is.
    """
    parts = []
    while len(piece) > MAX_SENTENCE_CHARS:
        cut = piece.rfind(" ", MAX_SENTENCE_CHARS // 2, MAX_SENTENCE_CHARS + 1)
        cut = cut if cut > 0 else MAX_SENTENCE_CHARS
        parts.append(piece[:cut].strip())
        piece = piece[cut:].strip()
    if piece:
        parts.append(piece)
    return parts


_ASCII_LETTER = re.compile(r"[A-Za-z]")
_OTHER_LETTER = re.compile(r"[^\W\d_A-Za-z]")


def latin_share(text: str) -> float:
    """Share of letters that are basic Latin (0-1); 1.0 for text without letters."""
    sample = text[:8000]
    latin = len(_ASCII_LETTER.findall(sample))
    other = len(_OTHER_LETTER.findall(sample))
    return 1.0 if latin + other == 0 else latin / (latin + other)


_ENGLISH_WORDS = frozenset({"the", "and", "of", "in", "to", "a", "was", "were", "is", "on", "by", "for", "with",
                            "that", "said", "has", "have", "at", "from"})


def english_share(text: str) -> float:
    """Share of words (in the first 3,000) that are very common English words."""
    words = re.findall(r"[A-Za-z]+", text[:20000].lower())[:3000]
    if not words:
        return 0.0
    return sum(w in _ENGLISH_WORDS for w in words) / len(words)
