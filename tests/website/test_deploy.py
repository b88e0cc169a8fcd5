"""Production settings pass Django's deployment checklist with the documented environment."""

import os
import re
from pathlib import Path

from django.conf import settings

from tests.conftest import manage_py

ENV_EXAMPLE = Path(settings.BASE_DIR) / ".env.example"


def example_environment() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def test_every_variable_read_by_the_settings_is_documented():
    source = (Path(settings.BASE_DIR) / "website/settings/base.py").read_text()
    source += (Path(settings.BASE_DIR) / "website/settings/production.py").read_text()
    documented = set(example_environment())
    read = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', source))
    assert read, "the settings read no variables?"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"


def test_production_settings_pass_check_deploy():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(example_environment())
    env["DJANGO_SETTINGS_MODULE"] = "website.settings.production"
    result = manage_py(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
