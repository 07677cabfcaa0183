"""Pre-tested patterns answer exactly as the plain patterns do, on written sentences and on real articles."""

import importlib
import re

import pytest

from .conftest import SEEDS, SHARED
from geoconflict.extract.prefilter import AnyPattern, PrefilteredPattern, compile_any, compile_prefiltered, fold_case
from geoconflict.extract.text import split_sentences

WRITTEN = [
    "Gunmen had also ambushed a convoy on the coastal highway, officials said.",
    "HAD THE GUARDS BEEN ATTACKED AT DAWN?",
    "The guards were attacked at dawn.",
    "Nothing happened in the market today.",
    "The \u017fhop owner said the con\u017fervancy had been attacked \u2014 again.",  # long s folds to s
    "A \u212aelvin sign and a dotless \u0131 are letters the IGNORECASE flag folds to ASCII.",
    "",
]


def _spans(pattern, text):
    return [m.span() for m in pattern.finditer(text)]


def test_a_pattern_is_pre_tested_on_runs_every_match_contains():
    pattern = compile_prefiltered(r"\bhad\s+(?:also\s+)?(?:been\s+)?(?:killed|attacked|ambushed)\b", re.IGNORECASE)
    assert isinstance(pattern, PrefilteredPattern)
    assert pattern.needles == frozenset({"killed", "attacked", "ambushed"})
    assert not pattern.could_match("Nothing happened in the market today.")
    assert pattern.could_match("They HAD ATTACKED the post.")


@pytest.mark.parametrize("source, flags", [
    (r"\bhad\s+(?:also\s+)?(?:been\s+)?(?:killed|attacked|ambushed)\b", re.IGNORECASE),
    (r"(?:con|shop)\w*", re.IGNORECASE),
    (r"(?i:had)\s+\w+", 0),  # an inline case flag: no pre-test rather than a wrong one
    (r"Guards|guards", 0),  # case-sensitive: tested on the text as written
    (r"(?:attack)+ed|kelvin", re.IGNORECASE),
])
def test_every_operation_answers_as_the_plain_pattern(source, flags):
    plain, pre = re.compile(source, flags), compile_prefiltered(source, flags)
    for text in WRITTEN:
        assert _spans(pre, text) == _spans(plain, text)
        assert pre.findall(text) == plain.findall(text)
        assert pre.sub("#", text) == plain.sub("#", text)
        found, expected = pre.search(text), plain.search(text)
        assert (found and found.span()) == (expected and expected.span())
        assert bool(pre.match(text)) == bool(plain.match(text))
        assert _spans(pre, text[3:]) == _spans(plain, text[3:])
        found, expected = pre.search(string=text, pos=3, endpos=30), plain.search(string=text, pos=3, endpos=30)
        assert (found and found.span()) == (expected and expected.span())
        assert pre.sub(repl="#", string=text, count=1) == plain.sub(repl="#", string=text, count=1)


def test_a_pattern_without_a_long_enough_run_is_the_plain_pattern():
    assert isinstance(compile_prefiltered(r"\b\w+\s+\d+"), re.Pattern)
    assert isinstance(compile_prefiltered(r"(?:on|at)\s+\w+"), re.Pattern)  # runs shorter than three letters
    assert isinstance(compile_prefiltered(r"(?:killed|\d+)"), re.Pattern)  # one alternative has no run


def test_case_folding_keeps_every_letter_ignorecase_matches_to_ascii():
    """Whatever character IGNORECASE matches to an ASCII letter folds to that letter."""
    letters = re.compile("[a-z]", re.IGNORECASE)
    for code in range(0x110000):
        char = chr(code)
        if letters.fullmatch(char):  # the whole fold is that one letter ("\u0130" lowers to "i" and a dot)
            folded = fold_case(char)
            assert len(folded) == 1 and folded.isascii() and re.fullmatch(folded, char, re.IGNORECASE), hex(code)
    assert compile_prefiltered("killed", re.IGNORECASE).search("KİLLED")


def _real_sentences():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "data" / "corpus" / "articles").glob("*.txt"))]
    return [s.text for text in texts for s in split_sentences(text)] + texts + WRITTEN


@pytest.mark.parametrize("module", ["events", "mentions", "dates", "actors", "event_types"])
def test_the_extraction_patterns_find_what_the_plain_patterns_find_in_real_articles(module):
    sentences = _real_sentences()
    checked = 0
    for value in vars(importlib.import_module(f"geoconflict.extract.{module}")).values():
        patterns = value.values() if isinstance(value, dict) else [value]
        for pattern in patterns:
            if isinstance(pattern, PrefilteredPattern):
                plain = re.compile(pattern.pattern, pattern.flags)
                assert [_spans(pattern, s) for s in sentences] == [_spans(plain, s) for s in sentences], \
                    pattern.pattern[:80]
                checked += 1
            elif isinstance(pattern, AnyPattern):  # cue lists asked whether any cue matches
                alternation = re.compile("|".join(p.pattern for p in pattern.patterns), pattern.patterns[0].flags)
                assert [pattern.found(s) for s in sentences] == [bool(alternation.search(s)) for s in sentences]
                checked += 1
    assert checked > 0


def test_any_of_several_patterns_answers_as_their_alternation():
    sources = (r"\bhad\s+(?:been\s+)?attacked\b", r"\bguards\s+\w+\s+attacked", r"\d+\s+years?\s+ago")
    cues, alternation = compile_any(sources, re.IGNORECASE), re.compile("|".join(sources), re.IGNORECASE)
    answers = [cues.found(text) for text in WRITTEN]
    assert answers == [bool(alternation.search(text)) for text in WRITTEN]
    assert answers == [False, True, True, False, True, False, False]
