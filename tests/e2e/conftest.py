"""One running stack (action service + Rasa server on free ports) per session."""
import pytest

from tests.support.stack import start_stack


@pytest.fixture(scope="session")
def stack():
    running = start_stack()
    yield running
    running.stop()
