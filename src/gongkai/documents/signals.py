"""Signals other apps listen to (rule 4: signals only across app boundaries).

Sent from `transaction.on_commit`, so listeners see committed data (rule 3).
"""

from django.dispatch import Signal

document_published = Signal()  # kwargs: document
document_withdrawn = Signal()  # kwargs: document
document_changed = Signal()  # kwargs: document (published document edited, or validity changed)
document_submitted = Signal()  # kwargs: document (sent for review; the disclosure review opens a task)
interpretation_submitted = Signal()  # kwargs: interpretation (a 动态解读 sent for review on its own)
interpretation_published = Signal()  # kwargs: interpretation (alone, or with its policy under 三同步)
interpretation_withdrawn = Signal()  # kwargs: interpretation
