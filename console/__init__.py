"""The consultation center's console: a web application for the center's staff.

Staff ask the assistant a question and see its answer in every answer language, work through
the conversations in which a user asked for a person, and reply through the user's own channel;
editors review the plan's translations. It runs in the action service's environment, calls the
same actions that answer users, reads conversations from the tracker store and keeps its own
tables in the same database. `python -m console` serves it (see docs/console.md).
"""
