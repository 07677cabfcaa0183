"""Articles -> place mentions, dates, casualties, actors -> events."""

from __future__ import annotations

from .pipeline import Extraction, events_from_articles, extract_events, iter_extractions

__all__ = ["Extraction", "events_from_articles", "extract_events", "iter_extractions"]
