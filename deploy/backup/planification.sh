#!/bin/sh
# Service backup : prépare le dépôt pgBackRest, vérifie l'archivage des WAL, puis fait chaque nuit une sauvegarde
# de base (complète le dimanche, différentielle les autres jours) à SAUVEGARDE_HEURE (UTC, 01 par défaut).
# Les WAL, eux, partent en continu par l'archive_command du service postgres (au plus 60 s de retard).
set -eu
stanza="${PGBACKREST_STANZA:-mniop}"
hour="${SAUVEGARDE_HEURE:-01}"

log() { echo "{\"service\": \"backup\", \"message\": \"$1\"}"; }

until pg_isready -q -h "${PGBACKREST_PG1_SOCKET_PATH:-/run/postgresql-partage}"; do sleep 5; done
pgbackrest --stanza="$stanza" stanza-create   # sans effet si le dépôt existe déjà et correspond à la base
pgbackrest --stanza="$stanza" check           # un WAL forcé doit arriver dans le dépôt
if ! pgbackrest --stanza="$stanza" --output=json info | jq -e '.[0].backup | map(select(.type == "full")) | length > 0' >/dev/null; then
  log "aucune sauvegarde complète : première sauvegarde complète maintenant"
  pgbackrest --stanza="$stanza" --type=full backup
fi

while true; do
  now=$(date -u +%s)
  next=$(date -u -d "$(date -u +%F) ${hour}:00" +%s)
  [ "$next" -gt "$now" ] || next=$((next + 86400))
  log "prochaine sauvegarde de base : $(date -u -d "@$next" '+%F %H:%M') UTC"
  sleep $((next - now))
  if [ "$(date -u +%u)" = 7 ]; then type=full; else type=diff; fi
  # Une sauvegarde en échec n'arrête pas le service : le contrôle de santé (sauvegarde-recente.sh) le signale.
  pgbackrest --stanza="$stanza" --type="$type" backup || log "sauvegarde ${type} en échec (voir ci-dessus)"
done
