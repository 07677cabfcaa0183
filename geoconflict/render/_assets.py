"""The scripts and stylesheets maps need: Leaflet 1.9.3 and Leaflet.markercluster 1.4.1.

Maps use nothing else (no jQuery, Bootstrap or icon fonts), so every map
inlines these few files by default and works from a file with no network.
Their local copies come from the pinned ``xstatic-leaflet`` and
``xstatic-leaflet-markercluster`` packages and are checked against the sha256
sums below before they are inlined.

Maps made with ``self_contained=False`` (``--cdn``) link the same versions on
jsDelivr instead, each ``<script>``/``<link>`` with a Subresource Integrity
hash (``sri``: sha384 of the file as published on npm, which is byte-identical
to the local copy, so a test can check the hash offline). The two small
markercluster stylesheets differ from npm in line endings only; they are
always inlined, so no unverifiable hash is ever written.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from branca.element import Element, Figure, MacroElement

from ..errors import DataIntegrityError, DataNotFoundError

__all__ = ["ASSETS", "Asset", "AssetsElement", "RawElement", "asset_path"]


@dataclass(frozen=True)
class Asset:
    """One pinned script or stylesheet: where the CDN has it and where the local package has it."""

    name: str
    kind: str  # "js" or "css"
    url: str
    package: str  # the xstatic module holding the local copy
    pip_name: str
    file: str
    sha256: str
    sri: str | None = None  # sha384 of the CDN file; None: always inlined


_LEAFLET = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist"
_CLUSTER = "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.4.1/dist"
ASSETS: dict[str, Asset] = {a.name: a for a in (
    Asset("leaflet_js", "js", f"{_LEAFLET}/leaflet.js", "xstatic.pkg.leaflet", "xstatic-leaflet==1.9.3.0",
          "leaflet.js", "5819285cec137b229c94e1ee5ad73e8b6b84345a4367d60f75fe477fe0fb7b03",
          "sha384-okbbMvvx/qfQkmiQKfd5VifbKZ/W8p1qIsWvE1ROPUfHWsDcC8/BnHohF7vPg2T6"),
    Asset("leaflet_css", "css", f"{_LEAFLET}/leaflet.css", "xstatic.pkg.leaflet", "xstatic-leaflet==1.9.3.0",
          "leaflet.css", "90b693d86392a4779c861b28cf307e7e59c3fb35328c4d8b95f58f814d38c722",
          "sha384-o/2yZuJZWGJ4s/adjxVW71R+EO/LyCwdQfP5UWSgX/w87iiTXuvDZaejd3TsN7mf"),
    Asset("cluster_js", "js", f"{_CLUSTER}/leaflet.markercluster.js", "xstatic.pkg.leaflet_markercluster",
          "xstatic-leaflet-markercluster==1.4.1.1", "leaflet.markercluster.js",
          "58be871df61f6c512464e15db0941e63b9491bf1396a2ae3bea6f39e0854cd1c",
          "sha384-RLIyj5q1b5XJTn0tqUhucRZe40nFTocRP91R/NkRJHwAe4XxnTV77FXy/vGLiec2"),
    Asset("cluster_css", "css", f"{_CLUSTER}/MarkerCluster.css", "xstatic.pkg.leaflet_markercluster",
          "xstatic-leaflet-markercluster==1.4.1.1", "MarkerCluster.css",
          "614dea0a98ff3f4ead74f04918f6b1d1b9ba435c25b5fc23b21a394d1e3e4d87"),
    Asset("cluster_default_css", "css", f"{_CLUSTER}/MarkerCluster.Default.css", "xstatic.pkg.leaflet_markercluster",
          "xstatic-leaflet-markercluster==1.4.1.1", "MarkerCluster.Default.css",
          "61258232d98d64dc2a7b1e02130d67421bc5b9bda5994eef70228ff97570c170"),
)}
#: Images leaflet.css refers to, inlined as data URIs in self-contained maps.
_LEAFLET_IMAGES = {
    "layers.png": "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6",
    "layers-2x.png": "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf",
    "marker-icon.png": "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437",
}


def asset_path(asset: Asset, file: str | None = None) -> Path:
    """Local path of an asset's file (or of another file of its package, e.g. an image).

    Raises
    ------
    DataNotFoundError
        If the xstatic package is not installed.
    """
    try:
        module = importlib.import_module(asset.package)
    except ImportError as exc:
        raise DataNotFoundError(f"the local copy of {asset.name} is missing: pip install {asset.pip_name!r}") from exc
    return Path(module.BASE_DIR) / (file or asset.file)


def _verified_bytes(path: Path, sha256: str, pip_name: str) -> bytes:
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise DataIntegrityError(f"{path} does not match its pinned sha256; reinstall it: "
                                 f"pip install --force-reinstall {pip_name!r}")
    return data


@cache
def inline_text(name: str) -> str:
    """The verified text of an asset, with leaflet.css images turned into data URIs."""
    asset = ASSETS[name]
    text = _verified_bytes(asset_path(asset), asset.sha256, asset.pip_name).decode("utf-8")
    if name == "leaflet_css":
        def data_uri(match: re.Match[str]) -> str:
            image = match.group(1)
            digest = _LEAFLET_IMAGES[image]
            raw = _verified_bytes(asset_path(asset, f"images/{image}"), digest, asset.pip_name)
            return f"url(data:image/png;base64,{base64.b64encode(raw).decode('ascii')})"

        text = re.sub(r"url\(images/([\w-]+\.png)\)", data_uri, text)
    return text.replace("</script", "<\\/script").replace("</style", "<\\/style")


class RawElement(Element):
    """Text placed in the page as it is. branca's ``Element(text)`` compiles its text as a Jinja
    template: slow for large scripts, and article text containing "{{" would be evaluated."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: object) -> str:
        return self._text


#: Shown in place of the map when Leaflet did not load (a linked map opened without internet).
NO_LEAFLET_MESSAGE = ("This map could not load its map library (Leaflet) from cdn.jsdelivr.net: the computer "
                      "seems to be offline or the address is blocked. Maps made without --cdn "
                      "(the default) carry the library inside the file and work offline.")


class AssetsElement(MacroElement):
    """Puts the named assets in the page head: the verified files inlined, or links to the CDN.

    Linked scripts carry their ``integrity`` hash; assets without one are inlined
    either way. When linking, a small script tells the reader in words if Leaflet
    did not arrive, instead of leaving a blank page.
    """

    _template = None

    def __init__(self, names: list[str], *, self_contained: bool) -> None:
        super().__init__()
        self._name = "GeoconflictAssets"
        self.names = names
        self.self_contained = self_contained

    def render(self, **kwargs: object) -> None:  # type: ignore[override]  # branca returns None here too
        figure = self.get_root()
        assert isinstance(figure, Figure), "assets must be added to a map inside a Figure"
        for name in self.names:
            asset = ASSETS[name]
            if self.self_contained or asset.sri is None:
                tag = "script" if asset.kind == "js" else "style"
                html = f"<{tag}>{inline_text(name)}</{tag}>"
            elif asset.kind == "js":
                html = f'<script src="{asset.url}" integrity="{asset.sri}" crossorigin="anonymous"></script>'
            else:
                html = f'<link rel="stylesheet" href="{asset.url}" integrity="{asset.sri}" crossorigin="anonymous"/>'
            figure.header.add_child(RawElement(html), name=f"geoconflict_{name}")
        if not self.self_contained:
            message = json.dumps(NO_LEAFLET_MESSAGE)
            check = ("<script>if (typeof L === 'undefined') { window.addEventListener('DOMContentLoaded', "
                     "function () { var p = document.createElement('p'); p.className = 'gc-no-leaflet'; "
                     "p.setAttribute('role', 'alert'); p.style.cssText = 'font:16px/1.5 sans-serif;"
                     f"margin:2em;max-width:40em'; p.textContent = {message}; "
                     "document.body.insertBefore(p, document.body.firstChild); }); }</script>")
            figure.header.add_child(RawElement(check), name="geoconflict_leaflet_check")
