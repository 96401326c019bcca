"""Lance le fournisseur d'identité des tests :
`python -m tests.accounts.oidc_idp.serve PORT CLIENT_ID SECRET REDIRECT POST_LOGOUT_REDIRECT`.

Crée sa base (SQLite jetable), enregistre l'application cliente (le MNIOP) puis sert en HTTP sur 127.0.0.1:PORT
jusqu'à ce que le processus soit arrêté. Écrit « prêt » sur la sortie standard quand il écoute."""

import os
import sys


def main(port, client_id, secret, redirect_uri, post_logout_redirect_uri):
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.accounts.oidc_idp.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    Application.objects.create(
        name="MNIOP",
        client_id=client_id,
        client_secret=secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        post_logout_redirect_uris=post_logout_redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    print("prêt", flush=True)
    run("127.0.0.1", int(port), get_wsgi_application(), threading=True, server_cls=WSGIServer)


if __name__ == "__main__":
    main(*sys.argv[1:])
