"""The matching engine (scikit-learn, scipy, rustworkx, numba: about 250 MiB) is loaded by
the worker that runs a match, not by every web process; and loading it compiles the block
scorer, so no run pays for that."""

import json
import os
import subprocess
import sys

HEAVY = ("numba", "sklearn", "scipy", "rustworkx", "mentoring.matching.engine")

WEB_PROCESS = f"""
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view, the admin's included
import mentoring.services.adapter, mentoring.services.review, mentoring.services.runs
import mentoring.tasks
print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))
"""

ENGINE = """
import json, sys
from mentoring.matching import match
kernel = sys.modules.get("mentoring.matching.block_kernel")
print(json.dumps(kernel is not None and bool(kernel.score_block.signatures)))
"""


def _run(code: str, settings: str | None = None) -> object:
    env = dict(os.environ)
    if settings:
        env["DJANGO_SETTINGS_MODULE"] = settings
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=os.getcwd(),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_web_process_does_not_load_the_engine():
    assert _run(WEB_PROCESS, "website.settings.test") == []


def test_the_engine_loads_its_compiled_block_scorer_with_itself():
    assert _run(ENGINE) is True


NO_CACHE_DIRECTORY = """
import json
from numba.core import caching
caching.CacheImpl._locator_classes = []  # nowhere writable to cache in
import numpy as np
from mentoring.matching.synthetic import synthetic_pool
from mentoring.matching.features import encode
from mentoring.matching.hierarchy import Hierarchy
from mentoring.matching.scoring import Scorer
scorer = Scorer(encode(synthetic_pool(30, 1).applicants), Hierarchy())
i, j = (a.ravel() for a in np.meshgrid(np.arange(30), np.arange(30), indexing="ij"))
block = scorer.block(np.arange(30), np.arange(30)).ravel()
print(json.dumps(bool((block == scorer.pairs(i, j)).all())))
"""


def test_the_block_scorer_compiles_in_memory_where_nothing_can_hold_its_cache():
    assert _run(NO_CACHE_DIRECTORY) is True
