# Images de production du MNIOP (voir docs/exploitation.md), construites par `docker compose build` :
#   - cible `app`   : gunicorn (web), worker et beat Celery, migrations : une seule image, sans secret ;
#   - cible `proxy` : Caddy (TLS, en-têtes de sécurité, compression) avec les fichiers statiques de `app`.
# `docker build .` sans --target construit `app` (la dernière étape).
ARG PYTHON_IMAGE=python:3.12-slim-trixie
ARG CADDY_IMAGE=caddy:2.11-alpine

# --- 1. Dépendances -------------------------------------------------------------------------------------------------
# uv (version et empreintes fixées dans tools/uv-requirements.txt) installe uv.lock sans le groupe dev dans /opt/venv,
# octets compilés d'avance (les conteneurs tournent en lecture seule). uv et pip ne vont pas dans l'image finale.
FROM ${PYTHON_IMAGE} AS deps
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY tools/uv-requirements.txt /tmp/uv-requirements.txt
RUN python -m venv /opt/uv \
    && /opt/uv/bin/pip install --quiet --no-deps --only-binary=:all: --require-hashes -r /tmp/uv-requirements.txt
COPY pyproject.toml uv.lock /tmp/projet/
WORKDIR /tmp/projet
RUN UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never UV_NO_CACHE=1 UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy /opt/uv/bin/uv sync --locked --no-dev --no-progress --python "$(command -v python)"

# --- 2. L'application -----------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=mniop.settings.prod \
    XDG_CACHE_HOME=/tmp/cache

# Bibliothèques et polices de WeasyPrint (PDF), dont les polices CJK pour les noms écrits dans ces alphabets.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# Utilisateur non privilégié, identifiant fixe (10001) : docker-compose.yml le reprend dans `user:`.
RUN groupadd --system --gid 10001 mniop \
    && useradd --system --uid 10001 --gid mniop --home-dir /app --no-create-home --shell /usr/sbin/nologin mniop

COPY --from=deps /opt/venv /opt/venv
WORKDIR /app
COPY . .

# Traductions compilées (.mo, non versionnées) : la fiche d'information des droits en 7 langues.
RUN pybabel --quiet compile --domain rights_sheet --directory locale \
 && pybabel --quiet compile --domain privacy_notice --directory locale

# Fichiers statiques (noms versionnés, compressés gzip et brotli) : réglages de production, valeurs factices le temps
# de la construction, jamais gardées dans l'image. Puis le code compilé d'avance, et les seuls dossiers inscriptibles.
RUN SECRET_KEY=construction-seulement-sans-valeur DUPLICATE_HMAC_KEY=construction-seulement ALLOWED_HOSTS=localhost \
    IDENTITY_ENCRYPTION_KEYS=construction-seulement \
    SITE_URL=https://construction.invalid \
    python manage.py collectstatic --noinput --verbosity 0 \
    && python -m compileall -q /app \
    && mkdir -p /app/media /app/var \
    && chown mniop:mniop /app/media /app/var

USER 10001:10001
EXPOSE 8000
# La sonde /sante/ (base et courtier) ; docker-compose.yml remplace ce contrôle pour le worker et beat.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["python", "-m", "mniop.health"]
CMD ["gunicorn", "-c", "mniop/gunicorn.conf.py"]

# --- 3. Le proxy frontal --------------------------------------------------------------------------------------------
# Caddy sous un utilisateur non privilégié (10002). La capacité de fichier cap_net_bind_service de l'image officielle
# est retirée : avec cap_drop ALL, le noyau refuserait d'exécuter le binaire ; les ports 80 et 443 sont ouverts par
# le sysctl net.ipv4.ip_unprivileged_port_start du service (docker-compose.yml).
FROM ${CADDY_IMAGE} AS proxy
RUN setcap -r /usr/bin/caddy \
    && chown -R 10002:10002 /config /data
COPY deploy/caddy/Caddyfile /etc/caddy/Caddyfile
COPY --from=app /app/staticfiles /srv/static
USER 10002:10002
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:2019/config/"]

# --- Cible par défaut : l'application -------------------------------------------------------------------------------
FROM app
