"""Bilagor: the method figures the report prints in its appendices (chapter 8 and Bilaga 3), in report order.

The functions live in :mod:`.metod` with the other method items; this part only places them where the
report has them, after the pilots, so that an edition reads in the report's order (Figur 6 before 31).
"""

from __future__ import annotations

from .method import figur_31, figur_33, figur_34, figur_35

ITEMS = [figur_31, figur_33, figur_34, figur_35]
