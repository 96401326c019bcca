"""Ce que toute l'API des systèmes partenaires partage : authentification par jeton, idempotence, erreurs."""
