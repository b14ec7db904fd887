"""Answers that stay true until the treatment: return visits, re-confirmation and amendments.

- `amendments`: an answer changed after sending (by the patient, at check-in or by a provider),
  kept as a record of its own, with the flags re-evaluated.
"""
