"""Serve one input channel's blueprint in the test process, as Rasa would,
with a scripted stand-in for Rasa's `on_new_message`."""
from __future__ import annotations

import contextlib
import uuid
from typing import Any, AsyncIterator, Awaitable, Callable

from rasa.core.channels.channel import InputChannel

from bot.launcher import free_port


@contextlib.asynccontextmanager
async def serve_channel(
    channel: InputChannel, on_new_message: Callable[[Any], Awaitable[Any]]
) -> AsyncIterator[str]:
    """Serve under /webhooks/<channel name>; yields that base URL."""
    from sanic import Sanic

    # Sanic 21.12 rewrites its protocol methods once per process unless in test mode, which
    # lets several apps start in one process (one per test here).
    Sanic.test_mode = True
    name = channel.name()
    app = Sanic(f"{name}_test_{uuid.uuid4().hex[:12]}", configure_logging=False)
    app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{name}")
    port = free_port()
    server = await app.create_server("127.0.0.1", port, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}/webhooks/{name}"
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()
