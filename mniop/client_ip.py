"""L'adresse IP du client : celle de la connexion, sauf derrière le proxy frontal de confiance.

Derrière Caddy, `REMOTE_ADDR` est l'adresse du proxy pour tout le monde : les limites par adresse et le verrouillage
freineraient alors toutes les personnes à la fois. Si la connexion vient d'un réseau de `TRUSTED_PROXY_NETWORKS`,
l'adresse retenue est la dernière de `X-Forwarded-For` (celle que le proxy a vue ; les précédentes viennent du client
et ne valent rien). Sans réseau de confiance (par défaut), l'en-tête est ignoré."""

import ipaddress

from django.conf import settings


def _trusted(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network) for network in settings.TRUSTED_PROXY_NETWORKS)


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and _trusted(remote):
        candidate = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return remote
    return remote
