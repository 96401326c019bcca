#!/usr/bin/env bash
# Exercice pgBackRest réel : la configuration de production (deploy/backup/pgbackrest.conf, planification.sh,
# sauvegarde-recente.sh) contre une grappe PostgreSQL temporaire, avec le vrai pgbackrest de la machine.
#
#   tools/pgbackrest_drill.sh [DOSSIER]        (dossier temporaire sous /tmp par défaut, effacé à la fin)
#
# Seuls les chemins du conteneur changent, par les variables PGBACKREST_* (qui priment sur le fichier) : dépôt,
# PGDATA, socket, port, verrous. La phrase de chiffrement vient de l'environnement, comme en production.
# Étapes : planification.sh (stanza-create, check, première sauvegarde complète), sauvegarde-recente.sh (vert, puis
# rouge avec un âge maximal dépassé), lot A, sauvegarde différentielle, lot B, instant T, lot C, check (le dernier
# WAL part dans le dépôt), arrêt, restauration jusqu'à T (--type=time) dans un dossier neuf : lots A+B ; jusqu'au
# dernier WAL (--delta sur le PGDATA d'origine) : A+B+C ; enfin la base restaurée archive sa nouvelle timeline et
# 4 sauvegardes complètes de plus font jouer la rétention (la première disparaît). Sort en erreur à la moindre
# différence ; dernière ligne : le compte rendu en JSON.
# PGBIN : les binaires d'une version de PostgreSQL que ce pgbackrest connaît (15 par défaut, Debian 12 : 2.45).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
command -v pgbackrest >/dev/null || { echo "pgbackrest absent (apt-get install pgbackrest)" >&2; exit 3; }
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL absent de $PGBIN (PGBIN=...)" >&2; exit 3; }

# initdb refuse root : l'exercice tourne alors sous le compte postgres (ou nobody), dans un dossier à lui.
if [ "$(id -u)" = 0 ]; then
  user=postgres; getent passwd postgres >/dev/null || user=nobody
  work=${1:-$(mktemp -d /tmp/pgbackrest-drill.XXXXXX)}
  mkdir -p "$work" && chown "$user" "$work"
  status=0
  runuser -u "$user" -- env PGBIN="$PGBIN" DRILL_GARDER="${DRILL_GARDER:-}" bash "$0" "$work" || status=$?
  [ -n "${1:-}" ] || rm -rf "$work"
  exit "$status"
fi

W=${1:-$(mktemp -d /tmp/pgbackrest-drill.XXXXXX)}
mkdir -p "$W"
W=$(cd "$W" && pwd)
PORT=${DRILL_PORT:-54329}
pids=()
cleanup() {
  for dir in "$W"/pg "$W"/restaure-t; do
    [ -f "$dir/postmaster.pid" ] && "$PGBIN/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "${DRILL_GARDER:-}" ] || rm -rf "${W:?}"/*
}
trap cleanup EXIT

export PATH="$PGBIN:$ROOT/deploy/backup:$PATH"
export PGBACKREST_CONFIG="$ROOT/deploy/backup/pgbackrest.conf"
export PGBACKREST_STANZA=mniop
export PGBACKREST_PG1_USER=mniop
export PGBACKREST_PG1_PATH="$W/pg"
export PGBACKREST_PG1_SOCKET_PATH="$W/sock"
export PGBACKREST_PG1_PORT="$PORT"
export PGBACKREST_REPO1_PATH="$W/depot"
export PGBACKREST_LOCK_PATH="$W/verrous"
export PGBACKREST_REPO1_CIPHER_PASS="${PGBACKREST_REPO1_CIPHER_PASS:-$(head -c 36 /dev/urandom | base64)}"
export PGHOST="$W/sock" PGPORT="$PORT" PGUSER=mniop PGDATABASE=postgres
mkdir -p "$W/sock" "$W/depot" "$W/verrous"

t0=$(date +%s.%N)
declare -A mesures
mesure() { mesures[$1]=$(awk -v a="$2" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'); }
log() { echo "== $*"; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
attendre_ouverture() {  # rejeu des WAL terminé et base promue
  for _ in $(seq 1 600); do
    [ "$(sql -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && return 0
    sleep 0.1
  done
  echo "la grappe restaurée ne s'ouvre pas" >&2; return 1
}

# Même réglages que le service postgres de deploy/compose.backup.yaml (archive_command, archive_timeout).
log "grappe PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') temporaire : $W/pg, port $PORT"
"$PGBIN/initdb" -D "$W/pg" -U mniop --auth=trust -E UTF8 --no-sync >/dev/null
cat >>"$W/pg/postgresql.auto.conf" <<EOF
wal_level = replica
archive_mode = on
archive_command = 'pgbackrest --stanza=mniop archive-push %p'
archive_timeout = 60
EOF
demarrer() {  # dossier, réglages supplémentaires
  local dir=$1; shift
  "$PGBIN/pg_ctl" -D "$dir" -w -t 60 -l "$dir.log" \
    -o "-c listen_addresses='' -c port=$PORT -c unix_socket_directories=$W/sock -c fsync=off $*" start >/dev/null
}
demarrer "$W/pg"
[ "$(sql -c 'SHOW archive_command')" = "pgbackrest --stanza=mniop archive-push %p" ]

# planification.sh tel quel : stanza-create, check, première sauvegarde complète, puis il attend la nuit.
log "planification.sh (stanza-create, check, première sauvegarde complète)"
t=$(date +%s.%N)
SAUVEGARDE_HEURE=01 planification.sh >"$W/planification.log" 2>&1 &
pids+=($!)
until grep -q "prochaine sauvegarde de base" "$W/planification.log"; do
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$W/planification.log" >&2; echo "planification.sh a échoué" >&2; exit 1; }
  sleep 0.2
done
pkill -P "${pids[0]}" 2>/dev/null || true; kill "${pids[0]}" 2>/dev/null || true; wait "${pids[0]}" 2>/dev/null || true
mesure planification_premiere_complete "$t"
grep -E "stanza-create command end|check command end|backup command end|message" "$W/planification.log"

log "sauvegarde-recente.sh : vert"
sauvegarde-recente.sh
sleep 1.1
log "sauvegarde-recente.sh avec SAUVEGARDE_AGE_MAX=1 : rouge"
if SAUVEGARDE_AGE_MAX=1 sauvegarde-recente.sh; then echo "le contrôle de santé reste vert" >&2; exit 1; fi

sql -c "CREATE TABLE exercice (id bigserial PRIMARY KEY, lot text NOT NULL, charge text NOT NULL)"
ecrire() { sql -c "INSERT INTO exercice (lot, charge) SELECT '$1', md5(g::text) FROM generate_series(1, $2) g"; }
compter() {
  sql -c "SELECT string_agg(lot || '=' || n, ' ' ORDER BY lot) FROM (SELECT lot, count(*) n FROM exercice GROUP BY lot) c"
}

ecrire A 10000
log "sauvegarde différentielle"
t=$(date +%s.%N)
pgbackrest --type=diff backup
mesure sauvegarde_diff "$t"
ecrire B 10000
sleep 1
T=$(sql -c "SELECT to_char(clock_timestamp(), 'YYYY-MM-DD HH24:MI:SS.MSTZH:TZM')")
sleep 1
ecrire C 10000
attendu_t=$(sql -c "SELECT count(*) FROM exercice WHERE lot IN ('A', 'B')")
attendu_dernier=$(sql -c "SELECT count(*) FROM exercice")
log "T = $T ; $attendu_t lignes à T, $attendu_dernier au total ($(compter))"
log "check : le WAL courant part dans le dépôt"
t=$(date +%s.%N)
pgbackrest check
mesure check "$t"
pgbackrest info
"$PGBIN/pg_ctl" -D "$W/pg" -m fast stop >/dev/null

# Restaurations comme le service restore (--delta) : jusqu'à T dans un dossier neuf, jusqu'au dernier WAL par-dessus
# le PGDATA d'origine (comme le volume réutilisé en production). Les grappes restaurées n'archivent pas (elles
# écriraient toutes deux une timeline 2 dans le même dépôt).
restaurer() {  # nom de la mesure, dossier, options de restauration
  local nom=$1 dir=$2; shift 2
  local t; t=$(date +%s.%N)
  install -d -m 0700 "$dir"
  PGBACKREST_PG1_PATH="$dir" pgbackrest --delta restore "$@"
  mesure "restauration_${nom}_fichiers" "$t"
  PGBACKREST_PG1_PATH="$dir" demarrer "$dir" -c archive_mode=off  # archive-get vérifie que PGDATA = pg1-path
  attendre_ouverture
  mesure "restauration_${nom}_ouverte" "$t"
}
log "restauration jusqu'à T (--type=time --target-action=promote)"
restaurer instant_t "$W/restaure-t" --type=time "--target=$T" --target-action=promote
obtenu_t=$(sql -c "SELECT count(*) FROM exercice"); lots_t=$(compter)
"$PGBIN/pg_ctl" -D "$W/restaure-t" -m fast stop >/dev/null
log "restauration jusqu'au dernier WAL (--delta sur le PGDATA d'origine)"
restaurer dernier_wal "$W/pg"
obtenu_dernier=$(sql -c "SELECT count(*) FROM exercice"); lots_dernier=$(compter)
"$PGBIN/pg_ctl" -D "$W/pg" -m fast stop >/dev/null

# Après la restauration, comme la procédure : la base (nouvelle timeline) archive de nouveau, sauvegardes complètes.
# Quatre de plus que la première : la rétention (repo1-retention-full=4) efface la plus ancienne et ses WAL.
log "nouvelle timeline archivée, 4 sauvegardes complètes : rétention"
premiere=$(pgbackrest --output=json info | jq -r '.[0].backup[0].label')
PGBACKREST_PG1_PATH="$W/pg" demarrer "$W/pg"
t=$(date +%s.%N)
for _ in 1 2 3 4; do pgbackrest --type=full backup >/dev/null; done
mesure quatre_completes "$t"
"$PGBIN/pg_ctl" -D "$W/pg" -m fast stop >/dev/null
info=$(pgbackrest --output=json info)
completes=$(jq '[.[0].backup[] | select(.type == "full")] | length' <<<"$info")
restantes=$(jq -r '[.[0].backup[].label] | join(" ")' <<<"$info")
log "sauvegardes restantes : $restantes (archive depuis $(jq -r '.[0].archive[-1].min' <<<"$info"))"
[ "$completes" = 4 ] && [[ " $restantes " != *" $premiere "* ]] && [[ " $restantes " != *" ${premiere}_"* ]]
sauvegarde-recente.sh

log "à T : $obtenu_t lignes ($lots_t), attendu $attendu_t"
log "dernier WAL : $obtenu_dernier lignes ($lots_dernier), attendu $attendu_dernier"
[ "$obtenu_t" = "$attendu_t" ] && [ "$lots_t" = "A=10000 B=10000" ]
[ "$obtenu_dernier" = "$attendu_dernier" ] && [ "$lots_dernier" = "A=10000 B=10000 C=10000" ]
mesure total "$t0"
json=$(for k in "${!mesures[@]}"; do printf '"%s": %s\n' "$k" "${mesures[$k]}"; done | sort | paste -sd, -)
echo "Exercice pgBackRest réussi : $(pgbackrest version), PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}')"
printf '{"instant_t": "%s", "lignes_t": %s, "lignes_dernier": %s, "completes_gardees": %s, "secondes": {%s}}\n' \
  "$T" "$obtenu_t" "$obtenu_dernier" "$completes" "$json"
