"""L'observatoire : les statistiques du MNIOP (enquête annuelle de la Miprof, grille du GRETA, tableaux de bord,
exports), tout en haut des applications : il lit tout, rien ne l'importe (`tests/test_dependencies.py`).

- `classification.py` : les règles écrites qui classent un signalement (traite interne ou transnationale, catégorie
  Eurostat, tranche d'âge, groupe de nationalités) ;
- `models.py` : la fiche statistique non identifiante de chaque signalement (`CaseStatistic`), qui survit à
  l'anonymisation et à la purge, et les cumuls (`RollupCell`) que lisent les pages ;
- `services.py` : mise à jour des fiches depuis le journal des signalements, puis des cumuls des années touchées ;
- `disclosure.py` : le seul module par lequel passe tout nombre montré ou exporté (secret statistique) ;
- `scope.py` : qui voit quels chiffres ; `tables.py` : les tableaux ; `charts.py` : les graphiques SVG ;
- `exports.py` : CSV, ODS, XLSX ; `microdata.py` : les microdonnées k-anonymes pour la recherche.
"""
