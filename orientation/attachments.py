"""Le fichier d'un document du dossier : reconnaître son type par son contenu (`filetype`, pur Python, par les
octets magiques : jamais par l'extension ni par le type annoncé par le navigateur), le chiffrer et le ranger dans le
stockage des pièces jointes (`settings.ATTACHMENTS_ROOT`, hors de la racine web, sans URL), le relire, l'effacer.

Le contenu est chiffré au repos par le trousseau de l'identité (`mniop.encryption`) : un certificat médical est une
donnée de santé. Les noms dans le stockage sont des UUID (`<dossier>/<document>`), sans donnée personnelle."""

import hashlib
import os
import tempfile

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse

from mniop.encryption import SEPARATOR, decrypt_bytes, encrypt_bytes, keyring

#: Les types acceptés, reconnus par le contenu : type MIME -> (extension du fichier téléchargé, libellé).
ALLOWED_TYPES = {
    "application/pdf": ("pdf", "PDF"),
    "image/jpeg": ("jpg", "image JPEG"),
    "image/png": ("png", "image PNG"),
}
ALLOWED_LABELS = "PDF, JPEG ou PNG"


def storage():
    """Le stockage des pièces jointes : le dossier privé du réglage, jamais servi (pas d'URL de base publique)."""
    return FileSystemStorage(location=settings.ATTACHMENTS_ROOT, base_url="/pas-de-lien-direct/")


def max_bytes():
    return settings.MNIOP["ATTACHMENT_MAX_BYTES"]


def human_size(size):
    """« 2,4 Mo », « 830 ko » : la taille en français."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
    return f"{max(1, round(size / 1024))} ko"


def sniff(data):
    """Le type MIME reconnu par les premiers octets du contenu, ou None."""
    kind = filetype.guess(data[:8192])
    return kind.mime if kind is not None else None


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def store(name, data):
    """Chiffre et range le contenu sous ce nom ; renvoie le nom effectivement utilisé."""
    return storage().save(name, ContentFile(encrypt_bytes(data)))


def read(name):
    with storage().open(name, "rb") as file:
        return decrypt_bytes(file.read())


def is_under_current_key(name):
    """Vrai si le fichier est chiffré par la clé la plus récente (rotation : `manage.py rotate_attachment_keys`)."""
    prefix = f"{keyring().primary_id}{SEPARATOR}".encode()
    with storage().open(name, "rb") as file:
        return file.read(len(prefix)) == prefix


def reencrypt(name):
    """Rechiffre le fichier par la clé la plus récente, en le remplaçant d'un coup (fichier temporaire puis
    `os.replace`) : à tout moment le fichier est entier et lisible. Renvoie False s'il l'était déjà."""
    if is_under_current_key(name):
        return False
    path = storage().path(name)
    data = encrypt_bytes(read(name))
    descriptor, partial = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".rotation-")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise
    return True


def delete(name):
    """Efface le fichier (rejouable : un fichier déjà absent n'est pas une erreur)."""
    if name:
        storage().delete(name)


def download_name(attachment):
    """Le nom proposé au téléchargement : le type de document et la date, jamais le nom d'origine (il peut nommer la
    personne)."""
    extension = ALLOWED_TYPES.get(attachment.content_type, ("bin", ""))[0]
    kind = attachment.kind.replace("_", "-")
    return f"{kind}-{attachment.uploaded_at:%Y%m%d}-{str(attachment.public_id)[:8]}.{extension}"


def download_response(attachment):
    """Le fichier déchiffré, en pièce jointe (jamais affiché ni interprété par le navigateur), sans cache."""
    response = HttpResponse(read(attachment.storage_name), content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download_name(attachment)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
