# Image de production du MNIOP : la même sert au serveur web (gunicorn), au worker et à beat Celery.
# Construction : docker compose build (voir docs/exploitation.md).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=mniop.settings.prod

# Bibliothèques et polices de WeasyPrint (PDF), dont les polices CJK pour les noms écrits dans ces alphabets.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system mniop \
    && useradd --system --gid mniop --home-dir /app --no-create-home --shell /usr/sbin/nologin mniop

# Dépendances de production seules (uv.lock sans le groupe dev), installées par uv (version et empreintes fixées).
COPY tools/uv-requirements.txt /tmp/uv-requirements.txt
COPY pyproject.toml uv.lock /tmp/projet/
RUN python -m venv /opt/uv \
    && /opt/uv/bin/pip install --no-deps --only-binary=:all: --require-hashes -r /tmp/uv-requirements.txt \
    && cd /tmp/projet \
    && UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never UV_NO_CACHE=1 \
       /opt/uv/bin/uv sync --locked --no-dev --python /usr/local/bin/python \
    && rm -rf /opt/uv /tmp/projet /tmp/uv-requirements.txt

WORKDIR /app
COPY . .

# Traductions compilées (.mo, non versionnées) : la fiche d'information des droits en 7 langues.
RUN /opt/venv/bin/pybabel --quiet compile --domain rights_sheet --directory locale

# Fichiers statiques (whitenoise, compressés et versionnés) : réglages de production, clé factice le temps du build.
RUN SECRET_KEY=construction-seulement-sans-valeur DUPLICATE_HMAC_KEY=construction-seulement ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media /app/var \
    && chown mniop:mniop /app/media /app/var

USER mniop
EXPOSE 8000
CMD ["gunicorn", "-c", "mniop/gunicorn.conf.py"]
