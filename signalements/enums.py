from django.db import models


class ReferenceCategory(models.TextChoices):
    """Les listes de référence du formulaire de signalement (domaine §4), modifiables par la Miprof."""

    ENTRY_CHANNEL = "entry_channel", "Canal d'entrée"
    IDENTIFYING_BODY = "identifying_body", "Organisme ayant procédé à l'identification"
    ADMINISTRATIVE_SITUATION = "administrative_situation", "Situation administrative"
    EXPLOITATION_FORM = "exploitation_form", "Forme d'exploitation"
    SECTOR = "sector", "Secteur d'exploitation"
    EMPLOYMENT_FORM = "employment_form", "Forme d'emploi ou activité"
    RECRUITMENT_MODE = "recruitment_mode", "Mode de recrutement"
    ICT_USE = "ict_use", "Usage des technologies numériques"
    ONLINE_COERCION = "online_coercion", "Facteur de contrainte en ligne"
    VULNERABILITY_FACTOR = "vulnerability_factor", "Facteur de vulnérabilité"
    TRAFFICKING_INDICATOR = "trafficking_indicator", "Indicateur de traite"
    PLACE_TYPE = "place_type", "Type de lieu d'exploitation"
