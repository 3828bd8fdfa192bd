# xianfeng — two commands on a fresh machine: `make run` and `make test`.
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: install run test test-services test-rabbitmq test-bench lint bench browser clean image images containers

install: $(STAMP)

# pip without progress bars; what it says goes to $(VENV)/pip.log: all of it is shown if it fails, only its
# warnings and errors if it succeeds (less "Location … is ignored", which a machine's pip configuration
# naming an empty local mirror says once per package)
PIP_LOG := $(VENV)/pip.log
define pip_install
	@$(PY) -m pip install -q --progress-bar off --disable-pip-version-check $(1) >$(PIP_LOG) 2>&1 \
	  || { cat $(PIP_LOG); echo "pip failed: see $(PIP_LOG)"; exit 1; }
	@grep -E '^(WARNING|ERROR)' $(PIP_LOG) | grep -v 'is ignored: it is neither a file nor a directory' || true
endef

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@echo "installing xianfeng and its dependencies into $(VENV) …"
	$(call pip_install,--upgrade pip setuptools wheel)
	$(call pip_install,-e '.[dev]')
	@touch $(STAMP)

# Debian's chromium for the page tests (Playwright drives it; it cannot download a browser here),
# and the Noto CJK fonts so that Chinese renders in the screenshots.
BROWSER_PACKAGES := chromium fonts-noto-cjk
browser:
	@missing=$$(for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian's $$missing for the page tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install
	@$(VENV)/bin/xianfeng run

# branch coverage of the code the tests run in-process (processes they start are not measured)
COVERAGE := --cov --cov-report=term:skip-covered
# the slowest tests named in the output, to see where a run's time goes
SLOWEST := --durations=15

test: install browser
	$(VENV)/bin/pytest $(COVERAGE) $(SLOWEST) $(PYTEST_ARGS)

# the same suite against the machine's PostgreSQL and Redis (coverage is make test's; .ci/run runs both at once),
# less the tests of how `xianfeng run` supervises its processes, which do not depend on the backend
test-services: install browser
	XIANFENG_TEST_BACKEND=services $(VENV)/bin/pytest $(SLOWEST) $(PYTEST_ARGS)

# the tests that rely on how the broker delivers (real workers killed, restarted, redelivered; chords;
# `xianfeng run` carrying a message), and RabbitMQ's own, on PostgreSQL + RabbitMQ (results on Redis).
# The other end-to-end tests (supervision, the campaign year, imports) do not depend on the broker.
test-rabbitmq: install browser
	XIANFENG_TEST_BACKEND=rabbitmq $(VENV)/bin/pytest -m "broker or rabbitmq" $(SLOWEST) $(PYTEST_ARGS)

# the image of every piece (podman, or docker), tagged with the version: cached, a no-op when nothing changed.
# Without a reachable registry its base is a local Debian made from this machine's apt mirror.
image:
	deploy/image.sh app

# the image, its local base, and PostgreSQL and Redis from Debian's packages for deploy/compose.yaml
images:
	deploy/image.sh all

# every piece as its own container on this machine's PostgreSQL and Redis, then the compose stack
# (root: installs and configures podman with runc when missing; builds the images when out of date)
containers: install
	deploy/podman-setup.sh
	deploy/image.sh all
	$(VENV)/bin/pytest -m containers tests/deploy/containers $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# every benchmark (QUICK=1: small sizes, the smoke run); XIANFENG_TEST_BACKEND=services for PostgreSQL + Redis
bench: install
	$(PY) -m bench $(if $(QUICK),--quick)

# the quick benchmark run as a test, on PostgreSQL + Redis: every part runs and reports its figures
test-bench: install
	XIANFENG_TEST_BACKEND=services $(VENV)/bin/pytest -m bench $(PYTEST_ARGS)

clean:
	rm -rf var .pytest_cache
