"""Observer la plateforme sans donnée personnelle : journaux JSON (une ligne par requête, identifiant de requête),
métriques Prometheus, remontée d'erreurs (Sentry). Voir docs/exploitation.md, « Supervision ».

Ce paquet n'importe aucune application : les jauges tirées de la base sont déclarées par chaque application
(`notifications/metrics.py`, `orientation/metrics.py`) et listées dans le réglage `METRICS_COLLECTORS`."""
