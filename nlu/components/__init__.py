"""Rasa GraphComponents wrapping the plain functions of `nlu`.

Only the Rasa server imports this package; each component is a thin adapter.
"""
