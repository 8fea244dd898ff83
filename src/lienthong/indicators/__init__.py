"""Indicators: data elements, indicators, frameworks (YAML), the engine, analytics, SDMX."""
