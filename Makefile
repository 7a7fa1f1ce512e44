# Friendship Portal — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-16)
HOST ?= 127.0.0.1
PORT ?= 8000
# The unit and page tests run in parallel on every core; the browser tests run on their own after.
TEST_WORKERS ?= auto
# Browser tests wait on Chromium much of the time: two processes share the machine well.
BROWSER_WORKERS ?= 2

.PHONY: install run test lint messages check-messages clean bench

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

run: export PORTAL_BASE_URL = http://$(HOST):$(PORT)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py delegations_daily
	@echo ""
	@echo "  Cổng thông tin Liên hiệp các tổ chức hữu nghị: http://$(HOST):$(PORT)/"
	@echo "  Tài khoản mẫu / demo accounts: staff, leader.laos, leader.russia, leader.thailand, leader.czech_slovakia, leader.poland, province, admin"
	@echo "  Mật khẩu / password: $$($(BIN)/python -c 'from friendship_portal.settings import PORTAL_DEMO_PASSWORD as p; print(p)')"
	@echo "  Công việc nền chạy ngay trong tiến trình web (không cần Redis)."
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Each test process compiles the code and pytest rewrites the test modules' asserts: let them keep
# the results in __pycache__ (ignored by git) even where PYTHONDONTWRITEBYTECODE is set, instead of
# every xdist worker of every run doing it again.
# The static checks (catalogue, migrations, lint, the layers contract, security, the dependency audit)
# read the code alone: CI's second pass, over the same code, runs `make test STATIC_CHECKS=no`.
STATIC_CHECKS ?= yes

test: export PYTHONDONTWRITEBYTECODE =
test: install
	@bash scripts/ensure-chromium.sh
ifneq ($(STATIC_CHECKS),no)
	$(BIN)/python scripts/compile_messages.py --check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit -c pyproject.toml -r . -q --severity-level medium
	VENV=$(VENV) bash scripts/audit-dependencies.sh
else
	@echo "== static checks left out (STATIC_CHECKS=no): they ran on the same code in the first pass"
endif
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup -m "not browser"
	$(BIN)/pytest -n $(BROWSER_WORKERS) -m browser

# Benchmarks (bench/README.md): pages and jobs on scratch databases at BENCH_SCALES times the demo data,
# in production mode; not part of `make test`. Scale 100 on demand: make bench BENCH_SCALES="1 10 100".
# BENCH_REPEAT=1 is the smoke run (CI): one timed request a page and a 300-row student import.
BENCH_SCALES ?= 1 10
BENCH_REPEAT ?= 10
BENCH_IMPORT_ROWS ?= $(if $(filter 1,$(BENCH_REPEAT)),300,3000)
BENCH_ARGS ?=

bench: install
	$(BIN)/python bench/run.py $(foreach scale,$(BENCH_SCALES),--scale $(scale)) --repeat $(BENCH_REPEAT) \
		--import-rows $(BENCH_IMPORT_ROWS) $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Refresh the translation catalogue from the code (needs GNU gettext) and compile it (pure Python).
messages: install
	$(BIN)/python manage.py makemessages --locale vi --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'static/*'
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf $(VENV) var
