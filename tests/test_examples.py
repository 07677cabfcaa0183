"""The example articles shipped for the README's main job extract as their text says."""

from pathlib import Path

import pandas as pd
import pytest

from geoconflict.extract import extract_events

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"

# (article, district or None for province-level, actor, killed, injured, date_start) from each article's text
EXPECTED = [
    ("01_turbat_checkpoint.txt", "Kech", "BLF", 3, 2, "2025-03-16"),
    ("02_mastung_wave.txt", "Mastung", "BLA", 4, None, "2025-04-05"),
    ("02_mastung_wave.txt", "Kalat", "BLA", None, None, "2025-04-05"),
    ("02_mastung_wave.txt", "Nushki", "BLA", None, None, "2025-04-07"),
    ("03_panjgoor_grenade.txt", "Panjgur", "unknown", None, 5, "2025-04-30"),
    ("04_province_wave.txt", None, "unknown", 15, None, "2025-06-13"),
    ("04_province_wave.txt", None, "security forces", 20, None, "2025-06-13"),
    ("05_sui_pipeline.txt", "Dera Bugti", "BRG", 2, None, "2025-07-26"),
    ("06_zorabad_unknown.txt", "Khuzdar", "unknown", 1, None, "2025-09-02"),
]


@pytest.fixture(scope="module")
def run(resolver):
    return extract_events([EXAMPLES], resolver=resolver)


def _n(value):
    return None if value is None or pd.isna(value) else int(value)


def test_examples_give_the_events_their_text_states(run):
    got = sorted((r.article_id, r.admin2 if isinstance(r.admin2, str) else None, r.actor, _n(r.killed),
                  _n(r.injured), r.date_start) for r in run.events.itertuples())
    assert got == sorted(EXPECTED, key=lambda e: (e[0], e[1] or "", e[2]))


def test_examples_report_the_unknown_place(run):
    assert list(run.unresolved["mention"]) == ["Pelvarabad"]
    assert (run.manifest["status"] == "processed").all()
