"""Core: errors, fields, paths, config files, the region registry, Swedish formatting, number parsing, locks and
process guards. Imports nothing from the other layers."""
