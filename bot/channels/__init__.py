"""Rasa input channels of the assistant (LINE; Slack with a configurable API address)."""
