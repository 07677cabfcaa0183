"""The extraction lexicon: every word list is a CSV read by one loader."""

from __future__ import annotations

import csv
import re
from importlib import resources

import pytest

from geoconflict.extract.casualties import find_casualties
from geoconflict.extract.event_types import find_target
from geoconflict.extract.lexicon import lexicon, terms

_FILES = sorted(p.name[:-4] for p in resources.files("geoconflict.extract").joinpath("lexicon").iterdir()
                if p.name.endswith(".csv"))


@pytest.mark.parametrize("name", _FILES)
def test_every_lexicon_file_has_the_shared_columns_and_terms(name):
    source = resources.files("geoconflict.extract").joinpath("lexicon", f"{name}.csv")
    with source.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:4] == ["term", "role", "note", "example"]
    assert lexicon(name) and all(entry.term == entry.term.strip() for entry in lexicon(name))
    for entry in lexicon(name):
        # an unquoted comma inside a pattern ("{0,3}") would cut it, shifting the rest into the role column
        assert re.fullmatch(r"[\w /'-]*", entry.role), f"{name}: role {entry.role!r} of {entry.term!r}"
        if entry.term.startswith("/"):
            assert len(entry.term) > 2 and entry.term.endswith("/"), f"{name}: pattern cut short: {entry.term!r}"
            re.compile(entry.term[1:-1])


def test_grammar_words_drive_the_casualty_and_target_rules():
    assert {"his", "her", "their"} <= terms("grammar_words", "possessive")
    # a negation word from the file stops an implied victim
    assert find_casualties("It is unclear whether the driver was hurt.").injured is None
    assert find_casualties("The driver was hurt.").injured == 1
    # a family list opened by a pronoun from the file
    assert find_casualties("She, her husband and a nephew were wounded.").injured == 3
    # a clause opener from the file is not what was attacked
    assert find_target("Gunmen attacked and two guards were hurt.") != "and two guards"
