# Sigap: the two commands of the Quick start, and a few helpers.
.PHONY: run test evidence lint typecheck messages clean-demo

run:            ## create .venv, install, migrate, load the Kota Pasuruan demo, serve on :8000 with the worker
	@bash scripts/run.sh

test:           ## install what the tests need and run the whole suite (SQLite, then PostgreSQL)
	@bash scripts/test.sh

evidence:       ## measured evidence of trust (not part of make test): writes bench/results/evidence-DATE.{json,md}
	@bash scripts/evidence.sh

lint:
	@bash scripts/bootstrap.sh test && .venv/bin/ruff check . && .venv/bin/ruff format --check .

typecheck:
	@bash scripts/bootstrap.sh test && .venv/bin/mypy sigap

messages:       ## refresh the translation catalogues after changing user-facing strings
	@bash scripts/bootstrap.sh test && cd sigap && ../.venv/bin/python ../manage.py makemessages -l id -l en --no-obsolete && ../.venv/bin/python ../manage.py compilemessages

clean-demo:     ## forget the local demo database (var/), keep the installed .venv
	rm -rf var/
