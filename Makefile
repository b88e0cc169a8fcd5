# The README's commands. `make run` and `make test` set everything up on a bare machine
# with Python 3.11+; nothing else is needed.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The interface's translations (locale/); English is the source language.
LANGS ?= es fr pt ar

.PHONY: install run worker test lint format check messages bench fuzz clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# The site, a Celery worker and beat, on SQLite and the embedded broker (files in .broker/)
# unless DATABASE_URL / CELERY_BROKER_URL say otherwise; Ctrl-C stops them all.
run: install
	@echo "Preparing the database and the demo content (the first time takes a few minutes)..."
	@$(PY) manage.py migrate --noinput --verbosity 0
	@$(PY) manage.py load_demo_data
	@$(PY) manage.py runall $(HOST):$(PORT)

worker: install
	$(VENV)/bin/celery -A website worker --beat --loglevel INFO \
		--queues default,mail,matching --concurrency 2 \
		--scheduler django_celery_beat.schedulers:DatabaseScheduler

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	DJANGO_SETTINGS_MODULE=website.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=website.settings.test $(PY) manage.py makemigrations --check --dry-run

test: lint check
	$(PY) -m pytest

messages: install
	$(PY) manage.py makemessages $(foreach lang,$(LANGS),--locale $(lang)) --no-obsolete \
		--ignore ".venv/*" --ignore "static/*" --ignore "media/*" --ignore "private-media/*" \
		--ignore "tests/*" --ignore ".pytest_cache/*"
	$(PY) manage.py compilemessages $(foreach lang,$(LANGS),--locale $(lang)) --ignore ".venv/*"

bench: install
	$(PY) -m mentoring.matching.benchmark --sizes 2000,10000,100000 --seeds 1,2,3,4,5,6,7,8,9,10 --large-seeds 3
	$(PY) -m campaigns.benchmark
	$(PY) -m campaigns.benchmark --crash --recipients 5000 --kills 10
	$(PY) -m reporting.benchmark --participants 50000 --rounds 20
	$(PY) -m website.loadbench

# The hostile-input fuzzer at length (`make test` sends 2,200 requests); FUZZ_SEED replays a run.
FUZZ_REQUESTS ?= 20000
fuzz: install
	FUZZ_REQUESTS=$(FUZZ_REQUESTS) $(PY) -m pytest tests/website/test_fuzz.py -q

clean:
	rm -rf $(VENV) static .test-media .test-db.sqlite3* .pytest_cache .broker
