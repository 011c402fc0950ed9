# Parcours — commandes du projet. Seuls python3 et pip sont supposés présents.
SHELL := /bin/bash
PORT ?= 8000
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen
export PARCOURS_HOME := $(CURDIR)

.PHONY: run test lint bench install demo clean-db help openapi

help:
	@echo "make run    — installe, prépare la base de démonstration et lance Parcours"
	@echo "make lint   — ruff, djlint, mypy, migrations à jour"
	@echo "make test   — lint + tous les tests (DATABASE_URL=postgres://… pour PostgreSQL)"
	@echo "make openapi — réécrit docs/openapi.json (le document de l'API) depuis le code"
	@echo "make bench  — mesures de performance (docs/benchmarks.md) ; une seule : make bench MESURE=charge"
	@echo "              (ciblage, historique, envoi [Mo], charge [sqlite|postgresql] [secondes], api [N], partages [N], extrait, purge [N], observatoire [lignes])"

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet uv || python3 -m pip install --quiet --user uv || \
		python3 -m pip install --quiet --user --break-system-packages uv
	@$(UV) sync --frozen --quiet

var/cles-dev.json:
	@mkdir -p var
	@$(RUN) python -m parcours.core.devkeys var/cles-dev.json

run: install var/cles-dev.json
	@$(RUN) parcours init
	@$(RUN) parcours demo
	@echo
	@echo "Parcours est prêt : http://127.0.0.1:$(PORT)/"
	@$(RUN) parcours demo --identifiants
	@echo
	@echo "(tâches de fond : « parcours travailleur » tourne à côté et se relance s'il s'arrête,"
	@echo " journal dans var/worker.log)"
	@$(RUN) parcours travailleur > var/worker.log 2>&1 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(RUN) parcours runserver 127.0.0.1:$(PORT)

demo: install var/cles-dev.json
	@$(RUN) parcours init
	@$(RUN) parcours demo --reinitialiser

lint: install
	@$(RUN) ruff check src tests tools
	@$(RUN) ruff format --check src tests tools
	@$(RUN) djlint src/parcours --lint --quiet
	@$(RUN) mypy src/parcours
	@PARCOURS_ENV=test DATABASE_URL=sqlite://:memory: $(RUN) parcours makemigrations --check --dry-run >/dev/null || \
		(echo "Migrations manquantes : lancez « uv run parcours makemigrations »." && exit 1)

test: lint
	@$(RUN) pytest

openapi: install var/cles-dev.json
	@$(RUN) parcours spec-api --sortie docs/openapi.json
	@echo "docs/openapi.json réécrit depuis le code de l'API."

bench: install var/cles-dev.json
	@$(RUN) python -m parcours.bench $(MESURE)

clean-db:
	rm -f var/parcours.sqlite3 var/parcours.sqlite3-wal var/parcours.sqlite3-shm
