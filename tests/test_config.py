"""One settings object: resolved once from the environment and the caller's overrides, then passed whole."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import geoconflict
from geoconflict import config
from geoconflict.config import Settings, resolve_settings
from geoconflict.errors import DataNotFoundError


def test_settings_come_from_the_environment_and_overrides_win(monkeypatch, tmp_path):
    monkeypatch.setenv("GEOCONFLICT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GEOCONFLICT_OFFLINE", "1")
    monkeypatch.setenv("GEOCONFLICT_LAYOUT", "2023-census")
    monkeypatch.setenv("GEOCONFLICT_PROVINCE", "Sindh")
    settings = resolve_settings()
    assert (settings.data_dir, settings.cache_dir, settings.offline) == (tmp_path, tmp_path / "cache", True)
    assert (settings.district_source, settings.province) == ("2023-census", "Sindh")

    other = tmp_path / "other"
    changed = resolve_settings(settings, data_dir=other, district_source="adm2", province="none")
    assert (changed.data_dir, changed.district_source, changed.province) == (other, "adm2", None)
    assert changed.cache_dir == settings.cache_dir  # what was not overridden is kept
    assert resolve_settings(settings) is settings  # already resolved: passed on as it is


def test_geocoder_reads_its_address_and_cache_from_the_settings(tmp_path, layers):
    from geoconflict.geocoder import GeocoderFallback

    settings = resolve_settings().replace(geocode_url="http://127.0.0.1:9", cache_dir=tmp_path)
    fallback = GeocoderFallback("nominatim", layers, settings=settings)
    assert fallback.url == "http://127.0.0.1:9"
    assert fallback.cache_file == tmp_path / "geocode" / "nominatim.json"


def test_relative_data_folder_is_made_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert resolve_settings(data_dir="boundaries").data_dir == tmp_path / "boundaries"


def test_settings_are_frozen_and_hashable():
    settings = resolve_settings()
    with pytest.raises(AttributeError):
        settings.offline = True  # type: ignore[misc]
    assert hash(settings) == hash(resolve_settings())
    assert settings.replace(province=None) != settings


def test_layout_setting_reaches_the_resolver_without_keywords(monkeypatch):
    """GEOCONFLICT_LAYOUT=adm2 alone puts Chaman in the district it belonged to in the ADM2 file."""
    from geoconflict.resolver import Resolver

    assert Resolver.from_gazetteer().resolve("Chaman").admin2 == "Chaman"
    monkeypatch.setenv("GEOCONFLICT_LAYOUT", "adm2")
    assert Resolver.from_gazetteer().resolve("Chaman").admin2 == "Qilla Abdullah"


def test_region_bias_comes_from_the_settings():
    from geoconflict.resolver import Resolver

    assert Resolver.from_gazetteer().bias == config.PROVINCE
    assert Resolver.from_gazetteer(settings=resolve_settings(province="none")).bias is None
    assert Resolver.from_gazetteer(settings=resolve_settings(province="none"), bias="Sindh").bias == "Sindh"


def test_the_data_folder_of_the_settings_is_the_one_read(tmp_path):
    from geoconflict.data import load_boundaries
    from geoconflict.districts import load_admin_layers

    empty = resolve_settings(data_dir=tmp_path)
    with pytest.raises(DataNotFoundError, match=str(tmp_path)):
        load_boundaries("ADM1", settings=empty)
    with pytest.raises(DataNotFoundError):
        load_admin_layers(settings=empty.replace(district_source="adm2"))


def test_settings_passed_whole_give_the_same_layers_as_keywords():
    from geoconflict.districts import load_admin_layers

    by_settings = load_admin_layers(settings=resolve_settings(district_source="adm2"))
    by_keyword = load_admin_layers(district_source="adm2")
    assert by_settings == by_keyword  # one cache entry, so the gazetteer built on it is shared too
    bal = by_settings.districts[by_settings.districts["admin1"] == config.PROVINCE]
    assert "Chaman" not in set(bal["admin2"]) and "Qilla Abdullah" in set(bal["admin2"])


def test_run_reads_boundaries_for_tables_and_maps_from_the_settings(tmp_path, monkeypatch, boundaries_dir):
    """The `run --data-dir` bug: one Settings value now reaches the resolver, the incidents and the maps."""
    from geoconflict.run import run_all

    monkeypatch.delenv("GEOCONFLICT_DATA_DIR")
    monkeypatch.setenv("GEOCONFLICT_OFFLINE", "1")
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path / "empty-cache"))
    article = tmp_path / "a.txt"
    article.write_text("QUETTA, 4 March 2024: Gunmen shot dead a shopkeeper in Kharan town on Monday, "
                       "police said.\n", encoding="utf-8")
    outputs = run_all([article], tmp_path / "out", settings=resolve_settings(data_dir=boundaries_dir))
    assert outputs.events == 1
    assert (tmp_path / "out" / "choropleth.html").is_file() and (tmp_path / "out" / "choropleth.png").is_file()


def _literal_defaults(tree: ast.AST) -> list[tuple[int, str]]:
    """Function defaults and argparse ``default=`` keywords that are string literals."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defaults = [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
            found += [(d.lineno, d.value) for d in defaults
                      if isinstance(d, ast.Constant) and isinstance(d.value, str)]
        elif isinstance(node, ast.Call):
            found += [(k.value.lineno, k.value.value) for k in node.keywords
                      if k.arg == "default" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)]
    return found


def test_the_default_province_is_written_in_one_place():
    package = Path(geoconflict.__file__).parent
    written = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "config.py":
            continue
        for line, value in _literal_defaults(ast.parse(path.read_text(encoding="utf-8"))):
            if value == config.PROVINCE:
                written.append(f"{path.relative_to(package)}:{line}")
    assert written == [], "use geoconflict.config.PROVINCE"


def test_only_the_settings_module_reads_the_environment():
    package = Path(geoconflict.__file__).parent
    readers = [str(path.relative_to(package)) for path in sorted(package.rglob("*.py"))
               if path.name != "config.py" and ("os.environ" in (text := path.read_text(encoding="utf-8"))
                                                or "getenv(" in text)]
    assert readers == []


def test_settings_documented_in_the_module_docstring():
    doc = config.__doc__ or ""
    for name in ("GEOCONFLICT_DATA_DIR", "GEOCONFLICT_CACHE_DIR", "GEOCONFLICT_OFFLINE", "GEOCONFLICT_LAYOUT",
                 "GEOCONFLICT_PROVINCE", "GEOCONFLICT_CENSUS_DIR", "GEOCONFLICT_GEOCODE_URL"):
        assert name in doc
    for field in Settings.__dataclass_fields__:  # every attribute is documented on the class
        assert field in (Settings.__doc__ or ""), field


def test_the_maps_draw_the_layout_of_the_settings(monkeypatch, tmp_path, boundaries_dir):
    """A layout chosen in the settings (or GEOCONFLICT_LAYOUT) is the one every map draws."""
    import pandas as pd

    from geoconflict import load_districts, render_choropleth

    events = pd.DataFrame([{"event_id": "e1", "date_start": "2024-03-04", "admin1": "Balochistan",
                            "admin2": "Kharan", "latitude": 28.58, "longitude": 65.42, "geo_precision": 1,
                            "killed": 1, "injured": 0}])
    published = set(load_districts(district_source="adm2", provinces=["Balochistan"])["admin2_id"])
    current = set(load_districts(provinces=["Balochistan"])["admin2_id"])

    def drawn(m) -> set[str]:
        html = m.get_root().render()
        return {i for i in published | current if f'"{i}"' in html}

    assert drawn(render_choropleth(events)) == current
    monkeypatch.setenv("GEOCONFLICT_LAYOUT", "adm2")
    assert drawn(render_choropleth(events)) == published
    # settings passed whole win over the environment, and need no data folder in it
    monkeypatch.delenv("GEOCONFLICT_DATA_DIR")
    monkeypatch.setenv("GEOCONFLICT_OFFLINE", "1")
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path / "empty-cache"))
    chosen = Settings(data_dir=Path(boundaries_dir), district_source="current")
    assert drawn(render_choropleth(events, settings=chosen)) == current
