"""One running stack (action service + Rasa server on free ports) per session.

The widget tests serve their page on `widget_port`, the one origin the stack allows (CORS)."""
import pytest

from tests.support.stack import free_port, start_stack


@pytest.fixture(scope="session")
def widget_port():
    return free_port()


@pytest.fixture(scope="session")
def stack(widget_port):
    running = start_stack(extra_env={"CORS_ORIGINS": f"http://127.0.0.1:{widget_port}"})
    yield running
    running.stop()
