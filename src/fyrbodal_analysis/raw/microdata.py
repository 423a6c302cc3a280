"""Shared parts of the microdata specs: survey questions and their answer domains.

The specs themselves live with the domain that cleans them (``dimios.SPECS``,
``surveys.SPECS``, …) and carry ``microdata=True``: the demo set in
``data/raw/demo/`` and real files in ``data/raw/private/`` (git-ignored) follow
them, and are validated like every other raw file. The file name of a dataset
is ``<spec name>.csv``; a private file of that name replaces the demo file.

Category answers are checked per question (``QUESTIONS``).
"""

from __future__ import annotations

import pandera.pandas as pa

MICRO = "Microdata"

#: Answer categories per survey question, in display order.
QUESTIONS: dict[str, tuple[str, ...]] = {
    # förvaltningschef survey (Figur 20-22)
    "fig20_synsatt": ("Teknikorienterat", "Verksamhetsorienterat", "Blandning"),
    "fig21_kannedom": ("Ingen", "Lite", "Acceptabel", "Bra", "Mycket bra", "Vet ej"),
    "fig22_mojliggor": ("Inte alls", "Lite", "Acceptabelt", "Bra", "Mycket bra", "Vet ej"),
    # IT-chef survey (Figur 23-24): 1 (instämmer inte alls) - 6 (instämmer helt)
    "fig23_styrning": ("1", "2", "3", "4", "5", "6", "vet ej"),
    "fig23b_infrastruktur": ("1", "2", "3", "4", "5", "6", "vet ej"),
    "fig24_kompetensmix": ("1", "2", "3", "4", "5", "6"),
    # information-security survey (Bilaga 4 and Figur 13)
    "klassning": ("ja", "nej", "vet ej"),
    "kontinuitet": ("ja", "nej", "vet ej"),
    "medvetande": ("ja", "nej", "vet ej"),
    "upphandling": ("ja", "nej", "vet ej"),
    "uppfoljning": ("ja", "nej", "vet ej"),
    "ledning": ("ja", "nej", "vet ej"),
}

MANAGER_QUESTIONS = ("fig20_synsatt", "fig21_kannedom", "fig22_mojliggor")
ITCHEF_QUESTIONS = ("fig23_styrning", "fig23b_infrastruktur", "fig24_kompetensmix")
INFOSEC_QUESTIONS = ("klassning", "kontinuitet", "medvetande", "upphandling", "uppfoljning", "ledning")


def answers_of(questions) -> tuple:
    """Answer domains of a survey for ``TableSpec.answers``: each question's own categories, exactly."""
    return ("question_id", "choice", {q: QUESTIONS[q] for q in questions})


def question_check(questions) -> tuple:
    return ("question_id", pa.Check(lambda df: df["question_id"].isin(list(questions)),
                                    error="not a question of this survey (see microdata.QUESTIONS)"))
