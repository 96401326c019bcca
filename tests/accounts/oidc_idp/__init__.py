"""Un vrai fournisseur d'identité OpenID Connect (django-oauth-toolkit), lancé par les tests de ProConnect dans un
sous-processus : un projet Django à part, avec sa propre base et ses propres comptes (voir serve.py)."""
