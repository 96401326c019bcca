#!/usr/bin/env bash
# Mesure `make run` jusqu'à ce que /sante/ réponde 200 : secondes écoulées depuis le lancement, puis arrêt propre.
#
#   tools/time-run.sh            à chaud : ce qui est déjà installé et chargé le reste
#   tools/time-run.sh --cold     à froid : efface .venv, .local, staticfiles et le cache de uv, comme un clone neuf
#
# WEB_PORT (8000 par défaut) choisit le port ; la sortie de make run est dans .local/time-run.log (ou /tmp pour
# --cold, .local étant effacé). Affiche aussi le temps processeur (utilisateur + système) de make run et de ses
# enfants : sur une machine partagée, il dit ce que coûte le démarrage quand le temps écoulé dépend des voisins.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${WEB_PORT:-8000}"
timeout="${TIME_RUN_TIMEOUT:-1800}"
log=.local/time-run.log
if [ "${1:-}" = "--cold" ]; then
  make --no-print-directory clean-services EFFACER_DONNEES=1 >/dev/null 2>&1 || true
  rm -rf .venv .local staticfiles "${UV_CACHE_DIR:-$HOME/.cache/uv}"
  log="$(mktemp /tmp/time-run.XXXXXX.log)"
fi
mkdir -p "$(dirname "$log")"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "Erreur : le port $port est déjà pris ; choisissez WEB_PORT." >&2
  exit 1
fi

start=$(date +%s.%N)
setsid make --no-print-directory run WEB_PORT="$port" >"$log" 2>&1 &
pid=$!
stop() { kill -INT -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT
status=""
while [ "$status" != 200 ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "Erreur : make run s'est arrêté avant de répondre ; voir $log" >&2
    exit 1
  fi
  if [ "$(echo "$(date +%s.%N) - $start > $timeout" | bc)" = 1 ]; then
    echo "Erreur : /sante/ ne répond pas 200 après $timeout s ; voir $log" >&2
    exit 1
  fi
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/sante/" || true)
  [ "$status" = 200 ] || sleep 0.2
done
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
cpu=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat" 2>/dev/null || echo 0)
ticks=$(getconf CLK_TCK)
printf 'make run%s : /sante/ 200 en %.1f s (port %s ; charge de la machine : %s)\n' \
  "$([ "${1:-}" = "--cold" ] && echo " à froid" || echo " à chaud")" "$elapsed" "$port" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'temps processeur de make run et des processus terminés : %.1f s ; journal : %s\n' "$(echo "$cpu / $ticks" | bc -l)" "$log"
