"""Cleaning: one module per domain, the pipeline that writes data/processed/, report facts, statistics, the
processed tables (load, manifest) and fetching public series. May import core and raw."""
