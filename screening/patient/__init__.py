"""The patient's path: step pages, forms and layout, drafts, the declaration."""
