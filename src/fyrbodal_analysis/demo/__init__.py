"""Synthetic demonstration data. May import core, raw and clean."""
