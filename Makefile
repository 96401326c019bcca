# MNIOP : les commandes de tous les jours. Sur une machine nue avec Python 3.12 : `make run` et `make test`.
# Les services (PostgreSQL, Redis) viennent de DATABASE_URL / REDIS_URL si elles sont définies, sinon ils sont
# embarqués par tools/devenv.py. Voir docs/environnement.md.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.NOTPARALLEL:

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installe-uv
DEVENV := $(PY) tools/devenv.py
WEB_PORT ?= 8000
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH

.PHONY: help install lock run dev quality test format clean-services check-system bench messages restore-drill communes

help:
	@echo "make run             la plateforme sur http://127.0.0.1:$(WEB_PORT), avec données et comptes de démonstration,"
	@echo "                     servie comme en production (DEBUG désactivé, gunicorn, fichiers statiques empreints)"
	@echo "make dev             la même, en mode développeur (DEBUG, runserver qui se recharge à chaque modification)"
	@echo "make test            contrôles de qualité puis toute la suite de tests (PYTEST_ARGS=... pour filtrer)"
	@echo "make quality         ruff, djlint, migrations manquantes"
	@echo "make format          reformate le code (ruff) et les gabarits (djlint)"
	@echo "make messages        compile les traductions (locale/*/LC_MESSAGES/*.po -> .mo, Babel)"
	@echo "make bench           bancs d'essai (benchmarks/bench_*.py) sur la base dédiée mniop_bench"
	@echo "make restore-drill   exercice de restauration : sauvegarde (base + WAL), panne, restauration, comparaison"
	@echo "make communes        régénère referents/data/communes.csv (toutes les communes, Code officiel géographique"
	@echo "                     de l'Insee publié par Etalab, paquet npm @etalab/decoupage-administratif ; npm requis)"
	@echo "make install         crée .venv et y installe uv.lock avec uv (refait seulement s'il a changé)"
	@echo "make lock            régénère uv.lock depuis pyproject.toml (garde les versions ; UPGRADE=1 pour tout"
	@echo "                     mettre à jour)"
	@echo "make clean-services  arrête le PostgreSQL embarqué (EFFACER_DONNEES=1 efface aussi .local/postgres)"

# --- Environnement virtuel ---------------------------------------------------------------------------------------
# uv installe les dépendances verrouillées (uv.lock, empreintes sha256) dans .venv. uv lui-même vient de PyPI, version
# et empreintes fixées dans tools/uv-requirements.txt, installé par le pip de n'importe quel Python >= 3.12 (même
# ancien : seules des roues épinglées et vérifiées sont demandées) dans un environnement à part, .local/uv.

UV_HOME := .local/uv
UV := $(UV_HOME)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

# Le premier interpréteur >= 3.12 qui fonctionne vraiment (un shim pyenv peut exister sans version derrière) ;
# son chemin est retenu dans .local/uv/interpreter pour créer .venv avec le même.
$(UV): tools/uv-requirements.txt
	@found=""; candidates="python3.12 python3.13 python3.14 python3 $$(echo $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3)"; \
	if [ -n "$${PYTHON:-}" ]; then candidates="$$PYTHON"; fi; \
	for candidate in $$candidates; do \
	  if "$$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    found="$$candidate"; break; \
	  fi; \
	done; \
	if [ -z "$$found" ] && [ -n "$${PYTHON:-}" ]; then \
	  echo "Erreur : PYTHON=$$PYTHON n'est pas un Python 3.12 (ou plus récent) avec venv et ensurepip." >&2; \
	  exit 1; \
	elif [ -z "$$found" ]; then \
	  echo "Erreur : aucun Python 3.12 (ou plus récent) utilisable n'a été trouvé." >&2; \
	  echo "Essayés : python3.12, python3.13, python3.14, python3, ~/.pyenv/versions/3.1x. Installez Python 3.12" >&2; \
	  echo "avec venv, ou indiquez-le : make PYTHON=/chemin/vers/python3.12 ..." >&2; \
	  exit 1; \
	fi; \
	interpreter=$$("$$found" -c 'import sys; print(sys.executable)'); \
	echo "Installation de uv $(UV_VERSION) dans $(UV_HOME) avec $$interpreter ($$("$$found" --version 2>&1))"; \
	rm -rf $(UV_HOME) && "$$found" -m venv $(UV_HOME) && \
	PIP_DISABLE_PIP_VERSION_CHECK=1 $(UV_HOME)/bin/python -m pip install --quiet --no-deps --only-binary=:all: \
	  --require-hashes -r tools/uv-requirements.txt && \
	echo "$$interpreter" > $(UV_HOME)/interpreter

# Installe exactement uv.lock (--locked : refuse un verrou qui ne correspond plus à pyproject.toml).
$(STAMP): pyproject.toml uv.lock $(UV)
	@$(UV) sync --locked --quiet --python "$$(cat $(UV_HOME)/interpreter)" || { \
	  echo "Erreur : installation des dépendances impossible (voir ci-dessus). Si .venv vient d'un autre Python," >&2; \
	  echo "supprimez-le (rm -rf .venv) puis relancez." >&2; exit 1; }
	@touch $@

install: $(STAMP)

# Résout pyproject.toml dans uv.lock (toutes plateformes, empreintes comprises). Les versions déjà verrouillées
# sont gardées ; UPGRADE=1 met tout à jour. Pour changer la version de uv : UV_VERSION et tools/uv-requirements.txt
# (régénéré par la même commande).
lock: $(UV)
	$(UV) lock $(if $(filter 1,$(UPGRADE)),--upgrade) --python "$$(cat $(UV_HOME)/interpreter)"
	@echo "uv==$(UV_VERSION)" | $(UV) pip compile - --generate-hashes --universal --quiet --custom-compile-command "make lock" \
	  -o tools/uv-requirements.txt

# --- Lancer la plateforme ----------------------------------------------------------------------------------------

# `make run` : la plateforme comme en production (mniop.settings.local : DEBUG faux, pages d'erreur françaises,
# fichiers statiques empreints servis par WhiteNoise, gunicorn), sur http://127.0.0.1:$(WEB_PORT). Avant de servir,
# un seul processus (prepare_platform) migre, rassemble les fichiers statiques et charge référentiels et démonstration,
# en sautant ce qui est déjà fait à cette version des sources ; sa sortie standard (les comptes) fait le bandeau.
# MNIOP_SKIP_DEMO=1 saute les données et comptes de démonstration ; PREPARE_ARGS=--again refait toutes les étapes.
PREPARE = python manage.py prepare_platform $(if $(filter 1,$(MNIOP_SKIP_DEMO)),,--demo --accounts) $(PREPARE_ARGS)

run: install messages
	@exec env DJANGO_SETTINGS_MODULE=mniop.settings.local $(DEVENV) procs --server gunicorn --port $(WEB_PORT) \
	  --banner-cmd "$(PREPARE) --static"

# `make dev` : le mode développeur (mniop.settings.dev : DEBUG, page de débogage, runserver qui se recharge).
dev: install messages
	@exec env DJANGO_SETTINGS_MODULE=mniop.settings.dev $(DEVENV) procs --server runserver --port $(WEB_PORT) \
	  --banner-cmd "$(PREPARE)"

# --- Qualité et tests --------------------------------------------------------------------------------------------

quality: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --check
	$(VENV)/bin/djlint templates --lint
	@env DJANGO_SETTINGS_MODULE=mniop.settings.dev $(DEVENV) run -- python manage.py makemigrations --check --dry-run

# Chromium (tests navigateur) et pdftoppm (tests PDF) viennent des paquets Debian ; en CI leur absence est une erreur.
check-system:
	@if [ -x "$(CHROMIUM_PATH)" ]; then \
	  echo "Chromium : $(CHROMIUM_PATH)"; \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "Erreur : Chromium introuvable ($(CHROMIUM_PATH)), requis en CI : apt-get install chromium" >&2; exit 1; \
	else \
	  echo "Attention : Chromium introuvable ($(CHROMIUM_PATH)) : les tests navigateur seront ignorés."; \
	  echo "            Pour les lancer : sudo apt-get install --no-install-recommends chromium"; \
	fi
	@if ! command -v pdftoppm >/dev/null; then \
	  if [ "$${CI:-}" = "true" ]; then echo "Erreur : pdftoppm introuvable : apt-get install poppler-utils" >&2; exit 1; fi; \
	  echo "Attention : pdftoppm introuvable (paquet poppler-utils) : les tests qui en ont besoin échoueront."; \
	fi

test: install check-system quality messages
	@env DJANGO_SETTINGS_MODULE=mniop.settings.test $(DEVENV) run -- pytest $(PYTEST_ARGS); code=$$?; \
	if [ $$code -eq 5 ]; then echo "Erreur : pytest n'a collecté aucun test (code 5)." >&2; fi; \
	exit $$code

# Traductions (fiche d'information des droits en 7 langues) : les .mo se compilent, ils ne sont pas versionnés.
messages: install
	@$(VENV)/bin/pybabel --quiet compile --domain rights_sheet --directory locale --statistics
	@$(VENV)/bin/pybabel --quiet compile --domain privacy_notice --directory locale --statistics

# Bancs d'essai : base dédiée (BENCH_DATABASE_NAME, mniop_bench par défaut), jamais la base de développement.
# BENCH_ARGS=bench_intake pour un seul scénario ; voir benchmarks/__init__.py et docs/exploitation.md.
bench: install
	@env DJANGO_SETTINGS_MODULE=mniop.settings.bench $(DEVENV) run -- python -m benchmarks $(BENCH_ARGS)

# Exercice de restauration sur ses propres grappes PostgreSQL embarquées (.local/restore-drill), jamais la base de
# développement. DRILL_ARGS="--signalements 1000000" pour l'échelle ; voir tools/restore_drill.py.
restore-drill: install
	@$(PY) tools/restore_drill.py $(DRILL_ARGS)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	@# djlint --reformat sort en erreur dès qu'il a modifié un fichier : ce n'est pas un échec ici.
	-$(VENV)/bin/djlint templates --reformat --quiet

# --- Services embarqués ------------------------------------------------------------------------------------------

clean-services:
	@if [ -x $(PY) ]; then \
	  $(PY) tools/devenv.py stop $(if $(filter 1,$(EFFACER_DONNEES)),--purge); \
	elif [ "$(EFFACER_DONNEES)" = 1 ]; then \
	  rm -rf .local/postgres && echo "Données de PostgreSQL embarqué effacées (.local/postgres)."; \
	fi

# --- Communes de la recherche de l'annuaire ------------------------------------------------------------------------
# Le Code officiel géographique de l'Insee (Licence Ouverte 2.0) tel qu'Etalab le publie sur npm, réduit à
# « nom, département » par tools/communes.py. Le fichier produit est versionné ; changer l'édition ici, relancer,
# relire le diff.
COMMUNES_PACKAGE ?= @etalab/decoupage-administratif@6.0.0

communes:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	(cd "$$tmp" && npm pack --silent "$(COMMUNES_PACKAGE)" >/dev/null && tar xzf ./*.tgz) && \
	python3 tools/communes.py "$$tmp/package/data/communes.json"
