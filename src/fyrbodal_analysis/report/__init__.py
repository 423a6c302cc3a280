"""The report: the edition, items, figures and diagrams, disclosure, and one module per domain (the same
names as in clean/) with the items of that part. May import core, raw and clean."""
