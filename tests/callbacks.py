"""Les rappels `transaction.on_commit` d'un service, sans ceux qui ne livrent rien (la version des comptes des
files, `signalements.status_counts.bump_version`) : ce que comptent les tests d'envoi."""

from signalements.status_counts import bump_version


def deliveries(callbacks):
    return [callback for callback in callbacks if callback is not bump_version]
