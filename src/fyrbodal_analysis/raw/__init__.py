"""Raw inputs: file formats and reading, schemas, provenance (sources.yml), the PTS appendix, microdata specs.
May import core."""
