"""The package surface: light import, lazy exports."""

import subprocess
import sys

import geoconflict


def test_every_export_resolves():
    for name in geoconflict.__all__:
        assert getattr(geoconflict, name) is not None, name


def test_import_is_light():
    code = "import sys, geoconflict; print(sorted(m for m in ('geopandas', 'folium', 'pandas') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_ci_runs_the_readme_test_command():
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    readme = (repo / "README.md").read_text(encoding="utf-8")
    command = readme.split("Run the tests", 1)[1].split("```bash", 1)[1].split("```", 1)[0].strip()
    test_part = command.split("&&")[-1].strip()
    assert test_part in (repo / ".ci" / "run").read_text(encoding="utf-8")


def test_census_credit_on_maps_names_the_source_the_readme_names():
    from pathlib import Path

    from geoconflict.render._context import CREDITS

    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8").split())
    census = [text for text, _ in CREDITS if "census" in text.lower()]
    assert len(census) == 1
    for source in ("Pakistan Bureau of Statistics", "PakPC2017", "PakPC2023", "M. Yaseen"):
        assert source in census[0] and source in readme
