from django.db import models


class SetupStamp(models.Model):
    """Ce que `prepare_platform` a déjà fait sur cette base (données de référence, de démonstration, fichiers
    statiques) et à partir de quelle version des sources : l'empreinte qui permet de ne pas le refaire."""

    step = models.CharField("étape", max_length=50, unique=True)
    fingerprint = models.CharField("empreinte des sources", max_length=64)
    completed_at = models.DateTimeField("terminée le")

    class Meta:
        verbose_name = "étape de préparation de la plateforme"
        verbose_name_plural = "étapes de préparation de la plateforme"

    def __str__(self):
        return self.step
