#!/bin/sh
# Contrôle de santé du service backup : le dépôt répond (statut 0) et la dernière sauvegarde de base a moins de
# SAUVEGARDE_AGE_MAX secondes (26 h par défaut : une par nuit, plus la durée d'une sauvegarde).
set -eu
pgbackrest --stanza="${PGBACKREST_STANZA:-mniop}" --output=json info \
  | jq -e --argjson max "${SAUVEGARDE_AGE_MAX:-93600}" \
    '.[0].status.code == 0 and ((.[0].backup | length) > 0) and (now - .[0].backup[-1].timestamp.stop < $max)' \
    >/dev/null
