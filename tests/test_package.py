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
