"""Écritures du signalement, un module par fonctionnalité. Chaque service prend l'acteur en `by=`, vérifie le
droit, verrouille ce qu'il modifie et lève `ValidationError` (message en français que la personne peut corriger) ou
`PermissionDenied`."""
