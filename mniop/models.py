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


class DataKey(models.Model):
    """Une clé de données (DEK) du chiffrement de l'identité (`mniop.encryption`) : 256 bits tirés par l'application,
    rangés ici **seulement enveloppés** (chiffrés) par la clé maîtresse (KEK) du fournisseur de clés, jamais en
    clair. La plus récente chiffre les nouvelles valeurs ; chaque valeur chiffrée commence par l'identifiant de sa clé
    de données. Changer de clé maîtresse ne réenveloppe que ces lignes (`rotate_identity_keys --rewrap`)."""

    key_id = models.CharField("identifiant", max_length=16, unique=True)
    wrapped_key = models.TextField("clé enveloppée par la clé maîtresse")
    kek_id = models.CharField("identifiant de la clé maîtresse", max_length=64)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    rewrapped_at = models.DateTimeField("réenveloppée le", null=True, blank=True)

    class Meta:
        verbose_name = "clé de données (enveloppée)"
        verbose_name_plural = "clés de données (enveloppées)"
        ordering = ["-id"]

    def __str__(self):
        return self.key_id
