from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CREATE_CONFIG = """
CREATE TEXT SEARCH CONFIGURATION mniop_french (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION mniop_french
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
"""


class Migration(migrations.Migration):
    """Recherche plein texte de l'annuaire : français, insensible aux accents (unaccent puis french_stem)."""

    dependencies = [("referents", "0001_initial")]

    operations = [
        UnaccentExtension(),
        migrations.RunSQL(CREATE_CONFIG, "DROP TEXT SEARCH CONFIGURATION IF EXISTS mniop_french;"),
    ]
