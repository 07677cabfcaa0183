"""The optional geopy fallback, against a loopback stub of a Nominatim service."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse

import pytest

from geoconflict.cli import main
from geoconflict.districts import load_admin_layers
from geoconflict.errors import InputError
from geoconflict.geocoder import GeocoderFallback
from geoconflict.resolver import Resolver


@pytest.fixture
def nominatim(layers):
    """A stub answering /search like Nominatim: one made-up name lies at Mastung tehsil's point."""
    mastung = layers.tehsils[layers.tehsils["adm3_name"] == "MASTUNG"].iloc[0]
    answers = {"qorvash bazar": [{"lat": str(mastung["rep_lat"]), "lon": str(mastung["rep_lon"]),
                                  "display_name": "Qorvash Bazar, Mastung, Balochistan, Pakistan",
                                  "addresstype": "village", "type": "village", "class": "place"}]}
    asked: list[dict[str, list[str]]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
            asked.append(query)
            body = json.dumps(answers.get(query.get("q", [""])[0].lower(), [])).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked, mastung
    finally:
        server.shutdown()
        server.server_close()


def test_unknown_name_is_geocoded_placed_by_polygon_and_cached(nominatim, gazetteer, layers, tmp_path):
    url, asked, mastung = nominatim
    fallback = GeocoderFallback("nominatim", layers, url=url, min_delay=0, cache_file=tmp_path / "g.json")
    resolver = Resolver(gazetteer, geocoder=fallback)
    result = resolver.resolve("Qorvash Bazar")
    assert (result.status, result.method, result.admin2, result.admin3, result.geo_precision) == (
        "resolved", "geocoder", "Mastung", mastung["admin3"], 1)
    assert asked[0]["countrycodes"] == ["pk"]
    # a second resolver with the same cache file does not ask again
    again = Resolver(gazetteer, geocoder=GeocoderFallback("nominatim", layers, url=url, min_delay=0,
                                                          cache_file=tmp_path / "g.json"))
    assert again.resolve("Qorvash Bazar").admin2 == "Mastung"
    assert len(asked) == 1


def test_only_names_the_gazetteer_cannot_place_are_sent(nominatim, gazetteer, layers, tmp_path):
    url, asked, _ = nominatim
    resolver = Resolver(gazetteer, geocoder=GeocoderFallback("nominatim", layers, url=url, min_delay=0,
                                                             cache_file=tmp_path / "g.json"))
    for name in ("Quetta", "Baloch Liberation Army", "Kabul", "12345", ""):
        resolver.resolve(name)
    assert asked == []
    missing = resolver.resolve("Zzyxvil")
    assert (missing.status, len(asked)) == ("unresolved", 1)
    assert "geocoder knows no such place" in missing.reason


def test_unreachable_service_is_logged_not_raised(gazetteer, layers, tmp_path):
    fallback = GeocoderFallback("nominatim", layers, url="http://127.0.0.1:9", min_delay=0, timeout=2,
                                cache_file=tmp_path / "g.json")
    result = Resolver(gazetteer, geocoder=fallback).resolve("Zzyxvil")
    assert result.status == "unresolved"
    assert not (tmp_path / "g.json").exists()  # failures are not cached


def test_unknown_service_is_an_input_error(layers):
    with pytest.raises(InputError, match="geocoder"):
        GeocoderFallback("bing-maps", layers)


def test_cli_geocode_option(nominatim, monkeypatch, tmp_path, capsys):
    url, _, _ = nominatim
    monkeypatch.setenv("GEOCONFLICT_GEOCODE_URL", url)
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path))
    assert main(["resolve", "Qorvash Bazar", "--geocode", "nominatim", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert (rows[0]["admin2"], rows[0]["method"]) == ("Mastung", "geocoder")
    assert load_admin_layers() is not None


def test_a_name_first_seen_inside_a_phrase_is_still_geocoded_alone(nominatim, gazetteer, layers, tmp_path):
    url, asked, _ = nominatim
    resolver = Resolver(gazetteer, geocoder=GeocoderFallback("nominatim", layers, url=url, min_delay=0,
                                                             cache_file=tmp_path / "g.json"))
    assert resolver.resolve("Qorvash Bazar, Quetta").admin2 == "Quetta"  # the phrase's outer place
    assert asked == []
    assert resolver.resolve("Qorvash Bazar").method == "geocoder"
