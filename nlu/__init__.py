"""Text processing shared by the Rasa server and the action service.

Plain functions with no Rasa import (normalization, language detection,
per-language tokenization); the thin Rasa components that wrap them live in
`nlu.components` and are imported only by the Rasa side.
"""
