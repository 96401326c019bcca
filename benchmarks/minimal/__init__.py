"""Un projet Django minimal (les intergiciels de `startproject`, une vue nue) : l'étalon des bancs d'essai HTTP.

`benchmarks/bench_http.py` le sert avec gunicorn à côté de la plateforme, dans la même série de mesures : la vue nue
de la plateforme (ses intergiciels) est rapportée à celle-ci.
"""
