#!/usr/bin/env bash
# Mesure `make run` jusqu'à ce que /sante/ réponde 200 : secondes écoulées depuis le lancement, puis arrêt propre.
#
#   tools/time-run.sh            à chaud, dans ce dépôt : ce qui est déjà installé et chargé le reste
#   tools/time-run.sh --cold     à froid : un clone neuf du commit courant (dans un dossier temporaire), caches de uv
#                                et de pip vides (dossiers temporaires : ceux de la machine ne sont pas touchés)
#
# WEB_PORT (8000 par défaut) choisit le port ; la sortie de make run est dans .local/time-run.log (à froid : à côté
# du dossier temporaire, effacé ensuite), chaque ligne précédée des secondes écoulées. Affiche aussi le temps
# processeur.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${WEB_PORT:-8000}"
timeout="${TIME_RUN_TIMEOUT:-1800}"
mode="à chaud"
if [ "${1:-}" = "--cold" ]; then
  mode="à froid"
  scratch="$(mktemp -d /tmp/time-run-cold.XXXXXX)"
  git clone --quiet --no-hardlinks "$PWD" "$scratch/mniop"
  git -C "$scratch/mniop" checkout --quiet "$(git rev-parse HEAD)"
  export UV_CACHE_DIR="$scratch/uv-cache" PIP_CACHE_DIR="$scratch/pip-cache"
  cd "$scratch/mniop"
  echo "Clone neuf : $PWD (caches vides : $scratch)"
fi
log="$PWD/.local/time-run.log"
mkdir -p "$(dirname "$log")"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "Erreur : le port $port est déjà pris ; choisissez WEB_PORT." >&2
  exit 1
fi

start=$(date +%s.%N)
# Chaque ligne du journal porte les secondes écoulées depuis le lancement.
export TIME_RUN_START="$start"
setsid bash -c 'make --no-print-directory run WEB_PORT="$1" 2>&1 | perl -MTime::HiRes=time -ne \
  '"'"'$|=1; printf "%7.1f %s", time - $ENV{TIME_RUN_START}, $_'"'"' >"$2"' _ "$port" "$log" &
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
load="$(cut -d' ' -f1-3 /proc/loadavg)"
# Temps processeur de la session de make run : ses processus vivants et ceux qu'ils ont déjà attendus (installation,
# prepare_platform…). Sur une machine partagée, il dit ce que coûte le démarrage quand le temps écoulé dépend des voisins.
cpu=$(for stat in /proc/[0-9]*/stat; do cat "$stat" 2>/dev/null; done |
  awk -v sid="$pid" '{ sub(/^.*\) /, ""); if ($4 == sid) s += $12 + $13 + $14 + $15 } END { print s }')
# Ce que sert make run, vu d'un navigateur : la page 404 française et un fichier statique empreint en cache long.
page=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:$port/adresse-mal-tapee/")
if [ "$(tail -n 1 <<<"$page")" = 404 ] && grep -q "<h1>Page introuvable</h1>" <<<"$page"; then
  echo "adresse mal tapée : 404, page française du DSFR"
else
  echo "Erreur : une adresse mal tapée ne donne pas la page 404 française" >&2
fi
css=$(grep -o '/static/css/mniop\.[0-9a-f]\{12\}\.css' <<<"$page" | head -n 1 || true)
if [ -n "$css" ]; then
  echo "$css : $(curl -s -o /dev/null -D - "http://127.0.0.1:$port$css" | grep -i '^cache-control' | tr -d '\r')"
else
  echo "Erreur : pas de feuille de style empreinte dans la page" >&2
fi
stop
trap - EXIT
printf 'make run %s : /sante/ 200 en %.1f s, %.1f s de processeur (port %s ; charge de la machine : %s)\n' \
  "$mode" "$elapsed" "$(echo "$cpu / $(getconf CLK_TCK)" | bc -l)" \
  "$port" "$load"
if [ -n "${scratch:-}" ]; then
  mv "$log" "$scratch.log" && log="$scratch.log"
  rm -rf "$scratch"
fi
echo "journal : $log"
