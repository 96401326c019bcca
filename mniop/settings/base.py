"""Réglages communs du MNIOP. Les valeurs propres à un environnement viennent des variables d'environnement
(voir `.env.example` et `docs/environnement.md`)."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
import whitenoise.compress
from celery.schedules import crontab
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
#: L'adresse où la plateforme est servie : la seule source des liens absolus (courriels, PDF, bandeau de `make run`).
#: En production, SITE_URL (obligatoire, voir prod.py) ; en local, http://127.0.0.1:WEB_PORT (`make run`, `make dev`).
WEB_PORT = env.int("WEB_PORT", default=8000)
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{WEB_PORT}").rstrip("/")

INSTALLED_APPS = [
    "mniop.apps.MniopAdminConfig",
    "mniop.apps.MniopConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "widget_tweaks",
    "dsfr",
    "django.forms",  # après dsfr : DSFR surcharge les gabarits django/forms
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "pgtrigger",
    "pghistory",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_htmx",
    # Applications du MNIOP, de la plus basse à la plus haute (voir docs/architecture.md)
    "notifications",
    "referents",
    "accounts",
    "directory",
    "signalements",
    "orientation",
    "privacy",
    "observatoire",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mniop.observability.middleware.RequestObservationMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "mniop.middleware.CspNonceForDsfrMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionExpiryMiddleware",
    "mniop.middleware.RejectNulCharacterMiddleware",
    "mniop.middleware.SecurityHeadersMiddleware",
    # Sûr par défaut : toute vue exige la connexion, sauf celles déclarées publiques (`login_not_required`).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Second facteur obligatoire : une session sans second facteur vérifié n'atteint que l'enrôlement, la
    # vérification, la déconnexion et les pages publiques listées (accounts/two_factor.py).
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "accounts.middleware.CurrentMembershipMiddleware",
    "accounts.middleware.OrganisationTimeZoneMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# L'historique (django-pghistory) note qui a changé quoi, depuis quelle adresse, pour les requêtes qui écrivent. Une
# requête GET ne modifie aucune donnée suivie : pas de contexte à poser (et pas de `set_config` avant l'écriture de
# son journal d'accès), ce qui allège chaque page lue.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

ROOT_URLCONF = "mniop.urls"
WSGI_APPLICATION = "mniop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mniop.context_processors.site_config",
                "mniop.context_processors.time_zone",
                "mniop.context_processors.session_timeout",
                "accounts.context_processors.current_membership",
                "accounts.context_processors.navigation",
                "accounts.context_processors.on_call_warning",
                "notifications.context_processors.unread_notifications",
            ],
            "libraries": {"observability": "mniop.observability.templatetags"},
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
DSFR_MARK_OPTIONAL_FIELDS = True

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/mniop")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Une connexion persistante morte (PostgreSQL redémarré) est détectée avant d'être réutilisée, au lieu d'une erreur.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
#: Le cache (compteurs des limites de débit, découverte ProConnect, comptes des files) : Redis, partagé par tous les
#: processus web, par django-redis qui **ignore une panne du cache** (`IGNORE_EXCEPTIONS`) : Redis arrêté, chaque
#: lecture répond « absent » au bout de 0,25 s au plus, les pages et l'API continuent de répondre (les limites de
#: débit laissent passer, `RATELIMIT_FAIL_OPEN` ; le verrouillage des comptes, en base, reste actif).
CACHE_OPTIONS = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25}
CACHE_URL = env("CACHE_URL", default=REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "mniop",
        "OPTIONS": CACHE_OPTIONS,
    }
}
if CACHE_URL.startswith("memory://"):
    # Un seul processus sans Redis (l'exercice de restauration, tools/restore_drill.py, qui donne aussi à Celery un
    # courtier en mémoire) : un cache en mémoire du processus.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
RATELIMIT_FAIL_OPEN = True

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.proconnect.ProConnectBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# ProConnect (accounts/proconnect.py, docs/securite.md) : actif seulement si les trois premières variables sont
# définies. La découverte : l'adresse `.well-known/openid-configuration` donnée par ProConnect à l'inscription.
PROCONNECT_DISCOVERY_URL = env("PROCONNECT_DISCOVERY_URL", default="")
PROCONNECT_CLIENT_ID = env("PROCONNECT_CLIENT_ID", default="")
PROCONNECT_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET", default="")
PROCONNECT_SCOPES = env("PROCONNECT_SCOPES", default="openid email given_name usual_name")
PROCONNECT_SIGN_ALGO = env("PROCONNECT_SIGN_ALGO", default="RS256")
#: `acr_values` demandées au fournisseur (vide : aucune) ; `acr` qui valent un second facteur vérifié par lui.
PROCONNECT_ACR_VALUES = env("PROCONNECT_ACR_VALUES", default="")
PROCONNECT_MFA_ACR_VALUES = env.list("PROCONNECT_MFA_ACR_VALUES", default=["eidas2", "eidas3"])
PROCONNECT_TIMEOUT = env.int("PROCONNECT_TIMEOUT", default=5)
# Les émetteurs dont l'adresse transmise sans `email_verified` est tenue pour vérifiée : ProConnect ne transmet pas
# cette revendication ; ses fournisseurs d'identité sont les administrations qui gèrent l'agent et déclarent leurs
# domaines de messagerie (docs/securite.md). Par défaut, la production de ProConnect (Internet et RIE). Tout autre
# émetteur doit affirmer `email_verified: true`.
PROCONNECT_EMAIL_VERIFIED_ISSUERS = env.list(
    "PROCONNECT_EMAIL_VERIFIED_ISSUERS",
    default=["https://auth.agentconnect.gouv.fr/api/v2", "https://auth.agentconnect.rie.gouv.fr/api/v2"],
)
OIDC_RP_SCOPES = PROCONNECT_SCOPES
OIDC_TIMEOUT = PROCONNECT_TIMEOUT
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:proconnect_callback"
OIDC_CREATE_USER = False
OIDC_USE_NONCE = True
# Le jeton d'identité reste en session pour la déconnexion chez le fournisseur (`id_token_hint`) ; son point de fin de
# session : PROCONNECT_END_SESSION_URL, sinon `end_session_endpoint` du document de découverte.
OIDC_STORE_ID_TOKEN = True
PROCONNECT_END_SESSION_URL = env("PROCONNECT_END_SESSION_URL", default="")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # deux heures

# Second facteur (docs/securite.md) : TOTP (application d'authentification), codes de secours à usage unique.
OTP_TOTP_ISSUER = "MNIOP"
OTP_TOTP_THROTTLE_FACTOR = 1  # chaque échec double l'attente avant l'essai suivant (1 s, 2 s, 4 s...)
OTP_STATIC_THROTTLE_FACTOR = 1
#: Nombre de codes de secours générés à l'enrôlement (chacun sert une fois).
MNIOP_RECOVERY_CODE_COUNT = 10
# Clés d'accès (passkeys, WebAuthn, django-otp-webauthn) : un second facteur résistant à l'hameçonnage, ajouté depuis
# « Mon compte ». Le domaine est celui de SITE_URL (https) ; en local (http), localhost : un navigateur refuse une clé
# d'accès sur une adresse IP ou en http ailleurs que sur localhost.
_SITE = urlsplit(SITE_URL)
OTP_WEBAUTHN_RP_ID = _SITE.hostname if _SITE.scheme == "https" else "localhost"
OTP_WEBAUTHN_RP_NAME = "MNIOP"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL if _SITE.scheme == "https" else f"http://localhost:{_SITE.port or 80}"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # toujours le mot de passe d'abord, la clé d'accès en second facteur
#: Ré-authentification (mot de passe + second facteur) valable ce nombre de secondes avant un acte dangereux
#: (bris de glace, jeton d'API, export, rôles, données de référence) : accounts/reauth.py.
MNIOP_REAUTH_MAX_AGE = env.int("MNIOP_REAUTH_MAX_AGE", default=5 * 60)


# Sessions : courtes, invalidées côté serveur (voir accounts.User.get_session_auth_hash et accounts.sessions) :
# fin après SESSION_IDLE_TIMEOUT secondes sans activité (un dialogue prévient SESSION_WARNING_BEFORE secondes avant)
# et après SESSION_ABSOLUTE_TIMEOUT secondes quoi qu'il arrive.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_WARNING_BEFORE = env.int("SESSION_WARNING_BEFORE", default=5 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "mniop.views.csrf_failure"

# En-têtes de sécurité
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
#: Aucune fonction sensible du navigateur (caméra, micro, position…) : posé par `mniop.middleware` et par Caddy.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

#: Réseaux du proxy frontal (CIDR) dont on croit l'en-tête X-Forwarded-For pour l'adresse du client
#: (mniop/client_ip.py) : limites par adresse, verrouillage, sessions ouvertes. Vide : REMOTE_ADDR seule.
TRUSTED_PROXY_NETWORKS = env.list("TRUSTED_PROXY_NETWORKS", default=[])
RATELIMIT_IP_META_KEY = "mniop.client_ip.client_ip"
AXES_CLIENT_IP_CALLABLE = "mniop.client_ip.client_ip"

# Protection contre la force brute (docs/securite.md, « Verrouillage et limites ») :
# - django-axes verrouille le COMPTE, quelle que soit l'adresse d'origine, après AXES_FAILURE_LIMIT échecs, pendant
#   AXES_COOLOFF_TIME ; un échec pendant le verrouillage ne le prolonge pas (pas de blocage sans fin par un tiers) ;
# - chaque ADRESSE est freinée à part (LOGIN_FAILURES_PER_ADDRESS échecs, tous comptes confondus) : une adresse
#   freinée ne gêne jamais la bonne personne qui se connecte d'ailleurs.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_credentials"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
#: axes.W006 conseille d'ajouter l'adresse IP aux paramètres du verrouillage : c'est justement ce qui permettait le
#: contournement du constat 3 ; l'adresse est freinée à part (LOGIN_FAILURES_PER_ADDRESS, accounts.ratelimits).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
# Une seule langue pour les pages : pas de LocaleMiddleware (il n'aurait rien à choisir, et coûtait à chaque
# requête). Les documents traduits (fiche des droits) activent leur langue eux-mêmes (`translation.override`).
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
#: Production et `make run` : noms empreints (main.3f2a….css) et compressés par collectstatic, servis par WhiteNoise
#: avec un cache d'un an (immutable) ; `{% static %}` lit le manifeste de STATIC_ROOT.
HASHED_STATIC_STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# collectstatic compresse (gzip, brotli) ; les cartes de code source (.map, 14 Mo) ne servent qu'aux outils de
# développement et les copies sans empreinte ne sont demandées par aucune page ({% static %} donne le nom empreint) :
# ni les unes ni les autres ne sont compressées, et les secondes ne sont pas gardées. collectstatic en est plus de deux
# fois plus court (43 s de processeur au lieu de 97).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# Les gabarits de django-dsfr ajoutent par défaut un attribut `integrity` calculé sur les fichiers d'origine ; avec
# des noms empreints, collectstatic réécrit les url() de la feuille du DSFR et le navigateur la bloquerait (page sans
# style). Les fichiers viennent de notre propre origine (CSP 'self') : l'attribut n'apporte rien, on le retire.
DSFR_USE_INTEGRITY_CHECKSUMS = False
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*whitenoise.compress.Compressor.SKIP_COMPRESS_EXTENSIONS, "map", "md"]
MEDIA_ROOT = BASE_DIR / "media"

MAIL_BACKEND = env("MAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": MAIL_BACKEND,
        "OPTIONS": (
            {
                "host": env("SMTP_HOST", default="localhost"),
                "port": env.int("SMTP_PORT", default=25),
                "username": env("SMTP_USER", default=""),
                "password": env("SMTP_PASSWORD", default=""),
                "use_tls": env.bool("SMTP_USE_TLS", default=False),
                "timeout": 10,
            }
            if MAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="MNIOP <ne-pas-repondre@mniop.example.gouv.fr>")

# Celery : le courtier est Redis ; les tâches reçoivent des identifiants, jamais de données personnelles.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 1}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {
    "observatoire-fiches-et-cumuls": {"task": "observatoire.tasks.refresh_statistics", "schedule": 180.0},
    "observatoire-exports-expires": {"task": "observatoire.tasks.purge_expired_exports", "schedule": 3600.0},
    "observatoire-exports-en-attente": {"task": "observatoire.tasks.dispatch_pending_exports", "schedule": 120.0},
    "notifications-livrer-en-attente": {
        "task": "notifications.tasks.deliver_pending_messages",
        "schedule": 60.0,
    },
    "comptes-purger-invitations-expirees": {
        "task": "accounts.tasks.purge_expired_invitations",
        "schedule": crontab(hour=3, minute=15),
    },
    "orientation-synchroniser-delais": {"task": "orientation.tasks.sync_clocks", "schedule": 300.0},
    "orientation-rappels-echeances": {"task": "orientation.tasks.send_deadline_reminders", "schedule": 900.0},
    "orientation-resume-quotidien": {
        "task": "orientation.tasks.send_daily_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    "orientation-expirer-places-retenues": {"task": "orientation.tasks.expire_referral_holds", "schedule": 300.0},
    "orientation-analyser-documents-en-attente": {
        "task": "orientation.tasks.scan_pending_attachments",
        "schedule": 120.0,
    },
    "comptes-reprendre-demandes-mot-de-passe": {
        "task": "accounts.tasks.process_pending_password_reset_requests",
        "schedule": 300.0,
    },
    "comptes-purger-sessions": {"task": "accounts.tasks.purge_expired_sessions", "schedule": crontab(minute=20)},
    "comptes-alertes-lectures-inhabituelles": {
        "task": "accounts.tasks.send_reading_alerts",
        "schedule": crontab(hour=7, minute=0),
    },
    "comptes-exporter-tete-journal-acces": {
        "task": "accounts.tasks.export_access_log_chain_head",
        "schedule": crontab(hour=2, minute=5),
    },
    "comptes-rappels-fin-habilitations": {
        "task": "accounts.tasks.send_habilitation_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    "comptes-relancer-demandes-habilitation": {
        "task": "accounts.tasks.send_habilitation_request_reminders",
        "schedule": crontab(hour=7, minute=20),
    },
    "comptes-relancer-attributions-de-role": {
        "task": "accounts.tasks.send_role_grant_reminders",
        "schedule": crontab(hour=7, minute=25),
    },
    "comptes-purger-cles-idempotence": {
        "task": "accounts.tasks.purge_idempotency_records",
        "schedule": crontab(minute=40),
    },
    "orientation-rappels-mesures": {
        "task": "orientation.tasks.send_measure_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "annuaire-relancer-fiches-anciennes": {
        "task": "directory.tasks.send_directory_freshness_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    "annuaire-marquer-courriels-en-echec": {
        "task": "directory.tasks.mark_bounced_emails",
        "schedule": crontab(hour=6, minute=15),
    },
    "orientation-alerter-dossiers-sans-activite": {
        "task": "orientation.tasks.alert_inactive_cases",
        "schedule": crontab(hour=7, minute=45),
    },
    "annuaire-alerter-categories-manquantes": {
        "task": "directory.tasks.alert_coverage_gaps",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
    "donnees-personnelles-appliquer-conservation": {
        "task": "privacy.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
}

#: Demande d'habilitation d'une organisation : l'administration de la Miprof est relancée quand elle attend sa décision
#: depuis ce nombre de jours ouvrés (un rappel par palier, `accounts.services_habilitations`).
HABILITATION_REQUEST_REMINDER_WORKING_DAYS = (5, 10)
#: Une attribution de rôle (deux personnes) qui attend un second administrateur de la plateforme depuis ce nombre de
#: jours ouvrés lui est rappelée, une fois (`accounts.services_role_grants`).
ROLE_GRANT_REMINDER_WORKING_DAYS = 2

#: Hébergement : distance minimale Ac.Sé aux lieux d'exploitation (km), durée de retenue d'une place (heures ; pour
#: un dossier urgent ou qui a besoin d'un hébergement ce soir, quelques heures), durée d'un accès d'urgence au lieu
#: scellé (minutes).
ORIENTATION_ACSE_MIN_DISTANCE_KM = 200
ORIENTATION_REFERRAL_HOLD_HOURS = 48
ORIENTATION_URGENT_REFERRAL_HOLD_HOURS = 4
ORIENTATION_BREAK_GLASS_MINUTES = 120
#: Seconde approbation d'un placement Ac.Sé hors de la règle d'éloignement : délai pour un dossier urgent (heures),
#: sinon en jours ouvrés du département responsable (`orientation.services.clocks`, rappels aux personnes qui
#: peuvent l'approuver avant puis à l'échéance).
ORIENTATION_URGENT_DISTANCING_WAIVER_HOURS = 2
ORIENTATION_DISTANCING_WAIVER_WORKING_DAYS = 1
#: Une orientation adressée à la coordination Ac.Sé attend qu'elle la confie (ou la renvoie, ou la refuse) : délai
#: pour un dossier urgent (heures), sinon en jours ouvrés ; rappels à la coordination, puis alerte à la Miprof.
ORIENTATION_URGENT_ACSE_DISPATCH_HOURS = 4
ORIENTATION_ACSE_DISPATCH_WORKING_DAYS = 2

# Un seul contrat pour toute l'API /api/v1/ (docs/architecture.md, « L'API ») : jeton d'organisation ou session,
# JSON seulement, erreurs RFC 9457 en français (accounts/api/errors.py), pagination par curseur.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.ApiTokenAuthentication",
        "accounts.api.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.api.authentication.ApiTokenScopePermission",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["accounts.api.parsers.ObjectJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "accounts.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "accounts.api.pagination.CursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api.throttling.ApiRateThrottle"],
    "PAGE_SIZE": 50,
}
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "accounts.api.errors.ProblemExceptionHandler",
    "EXCEPTION_FORMATTER_CLASS": "accounts.api.errors.ProblemFormatter",
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "ALLOWED_ERROR_STATUS_CODES": ["400", "401", "403", "404", "405", "406", "415", "429", "500"],
    "ERROR_SCHEMAS": {
        "400": "accounts.api.errors.ValidationProblemSerializer",
        **{code: "accounts.api.errors.ProblemSerializer" for code in ["401", "403", "404", "405", "406", "415"]},
        **{code: "accounts.api.errors.ProblemSerializer" for code in ["422", "429", "500"]},
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API du MNIOP",
    "DESCRIPTION": "API des systèmes partenaires du mécanisme national d'identification, d'orientation et de "
    "protection des victimes de traite des êtres humains.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "TAGS": [
        {"name": "Signalements", "description": "Déposer des signalements et suivre leur état."},
        {
            "name": "Instruction et validation",
            "description": "Files, dossier et actions de la Miprof et des autorités départementales.",
        },
        {"name": "Parcours : mesures", "description": "Les mesures du parcours de la victime."},
        {"name": "Orientations vers un hébergement", "description": "Orienter, répondre, confier (lieu scellé)."},
        {"name": "Places d'hébergement", "description": "Les places d'une structure, tenues par ses membres."},
        {"name": "Annuaire", "description": "L'annuaire territorialisé, en lecture seule."},
    ],
}
# Noms des énumérations du schéma : plusieurs champs « kind » et « status » portent des listes différentes.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "OrientationDecisionKindEnum": "orientation.enums.DecisionKind",
        "OrientationUrgentMeasureKindEnum": "orientation.enums.UrgentMeasureKind",
        "MeasureKindEnum": "orientation.enums.MeasureKind",
        "AttachmentKindEnum": "orientation.enums.AttachmentKind",
        "SignalementStatusEnum": "signalements.enums.SignalementStatus",
        "MeasureStatusEnum": "orientation.enums.MeasureStatus",
        "ReferralStatusEnum": "orientation.enums.ReferralStatus",
        "NewMeasureStatusEnum": "orientation.api.serializers.NEW_MEASURE_STATUSES",
        "MeasureTargetStatusEnum": "orientation.api.serializers.MEASURE_TARGET_STATUSES",
        # Les langues des structures (annuaire) et de l'interprète (orientation) : un seul nom, quel que soit
        # l'ordre dans lequel drf-spectacular rencontre les champs.
        "LanguageEnum": "referents.enums.Language",
    }
)

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # pas d'utilisateur anonyme dans guardian

# Journaux : JSON, une ligne par événement, sur la sortie d'erreur (collectée par docker), sans donnée personnelle
# (mniop/observability/logging.py). Une ligne par requête sur le journal `mniop.requests`.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "mniop.observability.logging.ContextFilter"},
        "redaction": {"()": "mniop.observability.logging.RedactionFilter"},
    },
    "formatters": {"json": {"()": "mniop.observability.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["context", "redaction"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # La ligne `mniop.requests` dit déjà chaque 404 et chaque réponse de runserver.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
    },
}
# Celery garde la configuration de Django (mniop/observability/celery.py) au lieu de la sienne.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Supervision (docs/exploitation.md, « Supervision ») : `/metriques/` répond à qui présente
# `Authorization: Bearer <METRICS_TOKEN>` ou vient d'un des réseaux de METRICS_ALLOWED_NETWORKS sans être passé par le
# proxy frontal (pas d'en-tête X-Forwarded-For) ; 404 pour tout autre. Sans jeton ni réseau : 404 pour tous.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
#: Jauges tirées de la base à chaque lecture, une fonction par application (elle rend des familles Prometheus).
METRICS_COLLECTORS = ["notifications.metrics.outbox_metrics", "orientation.metrics.orientation_metrics"]

# Remontée des erreurs (Sentry ou compatible), seulement si SENTRY_DSN est défini ; rien de personnel n'est envoyé.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from mniop.observability.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default=""), release=env("SENTRY_RELEASE", default="")
    )

# Chiffrement de l'identité des personnes, par enveloppe (mniop/encryption.py, docs/exploitation.md) : les clés
# maîtresses (KEK), des clés Fernet séparées par des virgules, la plus récente d'abord, ou un fichier d'une clé par
# ligne. Jamais dans la base ni dans le dépôt. Elles enveloppent les clés de données (mniop.DataKey).
IDENTITY_ENCRYPTION_KEYS = env.list("IDENTITY_ENCRYPTION_KEYS", default=[])
IDENTITY_ENCRYPTION_KEYS_FILE = env("IDENTITY_ENCRYPTION_KEYS_FILE", default="")
# Hors production, à défaut des deux : une clé locale créée une fois sous .local/ (jamais versionnée).
IDENTITY_ENCRYPTION_LOCAL_KEY_FILE = BASE_DIR / ".local" / "identity-encryption.key"
# Le fournisseur de la clé maîtresse : l'environnement ou le fichier ci-dessus par défaut ; un KMS ou un HSM se branche
# par une sous-classe de mniop.encryption.KeyProvider (docs/securite.md).
IDENTITY_KEY_PROVIDER = env("IDENTITY_KEY_PROVIDER", default="mniop.encryption.EnvironmentKeyProvider")
# Chaque processus relit la clé de données courante au plus tard après ce délai (rotation sans redémarrage).
IDENTITY_DATA_KEY_REFRESH_SECONDS = env.int("IDENTITY_DATA_KEY_REFRESH_SECONDS", default=60)
# Le dossier, hors de la base, où la tâche quotidienne exporte la tête de chaîne du journal d'accès.
ACCESS_LOG_CHAIN_EXPORT_DIR = env("ACCESS_LOG_CHAIN_EXPORT_DIR", default=str(BASE_DIR / ".local" / "journal-acces"))
# Les pièces jointes des dossiers (orientation/attachments.py) : chiffrées, rangées hors de la racine web et des
# fichiers statiques, sous des noms sans donnée personnelle ; jamais servies par une URL statique, seulement par la
# vue de téléchargement qui vérifie la portée et écrit le journal d'accès.
ATTACHMENTS_ROOT = env("ATTACHMENTS_ROOT", default=str(BASE_DIR / ".local" / "pieces-jointes"))
# L'antivirus (mniop/antivirus.py) : socket Unix de clamd (`/run/clamav/clamd.ctl`) ou `hôte:port` ; vide : aucune
# analyse possible, les pièces jointes restent « analyse en cours » (jamais téléchargeables) jusqu'à son retour.
CLAMD_ADDRESS = env("CLAMD_ADDRESS", default="")
CLAMD_TIMEOUT = env.int("CLAMD_TIMEOUT", default=30)

# Réglages métier
MNIOP = {
    "PLATFORM_NAME": "MNIOP",
    # Secret statistique : toute case entre 1 et ce seuil (exclu) est masquée (« : »), observatoire/disclosure.py.
    "STATISTICS_THRESHOLD": 5,
    # Microdonnées pour la recherche : chaque combinaison de quasi-identifiants apparaît au moins k fois (CTDC).
    "MICRODATA_K": 11,
    # Exports de tableaux : au-delà de ce nombre de lignes (et toujours pour l'enquête annuelle), une tâche Celery
    # les calcule ; le fichier se télécharge ensuite pendant ce nombre d'heures (observatoire/export_jobs.py).
    "STATISTICS_SYNC_EXPORT_MAX_ROWS": 400,
    "STATISTICS_EXPORT_RETENTION_HOURS": 24,
    # Durée de vie d'un rendu du cache de rendu des statistiques (observatoire.render_cache) ; 0 : pas de cache.
    "STATISTICS_RENDER_CACHE_SECONDS": 6 * 3600,
    "INVITATION_VALIDITY_DAYS": 7,
    # Invitations jamais acceptées : supprimées ce nombre de jours après leur expiration (accounts.tasks).
    "INVITATION_RETENTION_DAYS": 30,
    # Réponses gardées pour l'en-tête Idempotency-Key de l'API : supprimées après ce nombre d'heures.
    "IDEMPOTENCY_RETENTION_HOURS": env.int("IDEMPOTENCY_RETENTION_HOURS", default=24),
    # Débit de l'API par personne ou par jeton (accounts/api/throttling.py), au format de DRF : « 600/min ».
    "API_THROTTLE_RATE": env("API_THROTTLE_RATE", default="600/min"),
    # Limites de débit des pages publiques (django-ratelimit, compteurs dans Redis) : au-delà, 429 en français avec
    # `Retry-After`. Format « nombre/période » (s, m, h ; « 30/15m » : 30 par quart d'heure).
    "LOGIN_FAILURES_PER_ADDRESS": env("LOGIN_FAILURES_PER_ADDRESS", default="30/15m"),
    "PASSWORD_RESET_PER_ADDRESS": env("PASSWORD_RESET_PER_ADDRESS", default="8/m"),
    "PASSWORD_RESET_PER_EMAIL": env("PASSWORD_RESET_PER_EMAIL", default="3/h"),
    "INVITATION_ACCEPT_PER_ADDRESS": env("INVITATION_ACCEPT_PER_ADDRESS", default="20/m"),
    "DIRECTORY_SEARCH_PER_ADDRESS": env("DIRECTORY_SEARCH_PER_ADDRESS", default="60/m"),
    # La page publique de vérification d'une attestation (orientation.views.documents.attestation_verify).
    "ATTESTATION_VERIFY_PER_ADDRESS": env("ATTESTATION_VERIFY_PER_ADDRESS", default="20/m"),
    # Clé des empreintes de doublons (signalements.duplicates) ; vide : dérivée de SECRET_KEY (hors production).
    "DUPLICATE_HMAC_KEY": env("DUPLICATE_HMAC_KEY", default=""),
    # Expérimentation : organisations (identifiants publics) et départements (codes INSEE) autorisés à déposer ;
    # liste vide : aucune restriction.
    "PILOT_ORGANISATIONS": env.list("PILOT_ORGANISATIONS", default=[]),
    "PILOT_DEPARTEMENTS": env.list("PILOT_DEPARTEMENTS", default=[]),
    "DIRECTORY_VERIFICATION_MONTHS": env.int("DIRECTORY_VERIFICATION_MONTHS", default=6),
    # Le fuseau de la personne destinataire d'un courriel (email -> fuseau IANA) : le worker rend le courriel dans ce
    # fuseau. `notifications` est sous `accounts` : la fonction lui est donnée ici plutôt qu'importée.
    "RECIPIENT_TIME_ZONE": "accounts.time_zones.time_zone_for_email",
    # Le journal d'accès, pour les applications qui ne dépendent pas d'`accounts` (notifications).
    "ACCESS_LOGGER": "accounts.audit.log_access",
    # Le responsable du traitement et le contact du ou de la délégué·e à la protection des données : la notice
    # d'information remise à la personne (privacy/notice.py) et la page « Données personnelles » les citent.
    "DATA_CONTROLLER": env(
        "DATA_CONTROLLER",
        default="Mission interministérielle pour la protection des femmes contre les violences et la lutte contre la "
        "traite des êtres humains (Miprof), 14 avenue Duquesne, 75350 Paris 07 SP",
    ),
    "DPO_CONTACT": env("DPO_CONTACT", default="dpd@miprof.invalid"),
    # Durées de conservation, en jours (docs/donnees-personnelles.md) : appliquées chaque nuit par
    # privacy.tasks.apply_retention, après qu'une personne de l'administration de la Miprof a lu le rapport à blanc.
    "RETENTION": {
        # Brouillon jamais déposé, sans modification depuis : supprimé.
        "ABANDONED_DRAFT_DAYS": env.int("RETENTION_ABANDONED_DRAFT_DAYS", default=90),
        # Dossier clos (doublon, hors champ, clos) : identité anonymisée ce nombre de jours après la clôture.
        "CLOSED_CASE_DAYS": env.int("RETENTION_CLOSED_CASE_DAYS", default=5 * 365),
        # Avis à l'organisation déclarante avant l'anonymisation.
        "ANONYMISATION_NOTICE_DAYS": 30,
        # Notifications dans l'application : supprimées après ce nombre de jours.
        "NOTIFICATION_DAYS": env.int("RETENTION_NOTIFICATION_DAYS", default=365),
        # Messages de la boîte d'envoi envoyés ou en échec définitif : supprimés après ce nombre de jours.
        "OUTBOX_DAYS": env.int("RETENTION_OUTBOX_DAYS", default=90),
        # Journal d'accès : lignes supprimées après ce nombre de jours (plus long que la conservation des dossiers,
        # pour que l'export « qui a consulté » reste complet tant que l'identité existe).
        "ACCESS_LOG_DAYS": env.int("RETENTION_ACCESS_LOG_DAYS", default=6 * 365),
        # Comptes sans connexion : prévenus, puis désactivés.
        "INACTIVE_ACCOUNT_WARNING_DAYS": env.int("RETENTION_INACTIVE_ACCOUNT_WARNING_DAYS", default=335),
        "INACTIVE_ACCOUNT_DAYS": env.int("RETENTION_INACTIVE_ACCOUNT_DAYS", default=365),
        # Pièces jointes d'un dossier clos (certificats médicaux, récépissés, décisions) : fichier et ligne supprimés
        # ce nombre de jours après la clôture ; l'anonymisation du dossier les supprime de toute façon.
        "ATTACHMENT_DAYS": env.int("RETENTION_ATTACHMENT_DAYS", default=2 * 365),
    },
    # Pièces jointes : taille maximale d'un fichier (octets) et types acceptés, reconnus par leur contenu.
    "ATTACHMENT_MAX_BYTES": env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024),
    # Une pièce jointe encore « analyse en cours » après ce délai (antivirus ou courtier indisponible) est reprise par
    # la tâche beat `orientation.tasks.scan_pending_attachments`.
    "ATTACHMENT_RESCAN_AFTER_MINUTES": 2,
}
