"""L'API de l'annuaire : `/api/v1/annuaire/…`, en lecture seule."""
