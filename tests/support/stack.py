"""The running stack for tests: the same launcher `make run` uses, on free ports."""
from bot.launcher import Stack, free_port, start_stack

__all__ = ["Stack", "free_port", "start_stack"]
