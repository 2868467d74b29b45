"""The production shape is a valid compose file (Debian's docker-compose validates it; no
Docker engine is needed), starts with only the required secrets, and enables a channel only
when its variables are set."""
import os
import shutil
import subprocess

import pytest
import yaml

from bot.launcher import ROOT

REQUIRED = {
    "POSTGRES_PASSWORD": "p", "REDIS_PASSWORD": "r", "WEB_SESSION_SECRET": "s",
    "STAFF_API_TOKEN": "t", "CONSOLE_SECRET_KEY": "k",
    "TLS_CERT_FILE": "/etc/ssl/cert.pem", "TLS_KEY_FILE": "/etc/ssl/key.pem",
}
pytestmark = pytest.mark.skipif(shutil.which("docker-compose") is None,
                                reason="docker-compose missing: run `make install-test`")


def compose_config(env):
    base = {k: v for k, v in os.environ.items() if k not in REQUIRED and "LINE" not in k
            and "SLACK" not in k}
    return subprocess.run(["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"],
                          capture_output=True, text=True, env={**base, **env}, cwd=ROOT)


def test_it_validates_with_only_the_required_variables():
    result = compose_config(REQUIRED)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    for name, service in config["services"].items():
        assert service.get("restart") == "unless-stopped", name
        assert "healthcheck" in service, name
    assert [s for s in config["services"] if config["services"][s].get("ports")] == ["proxy"]


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_a_missing_secret_is_named(missing):
    env = {k: v for k, v in REQUIRED.items() if k != missing}
    result = compose_config(env)
    assert result.returncode != 0 and missing in result.stderr
