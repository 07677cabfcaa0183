"""Curated gazetteer tables of geoconflict (CSV), installed as ``geoconflict.gazetteer``.

This file only makes the folder a package so its CSV files ship with
``pip install .`` and are read with :mod:`importlib.resources`.
"""
