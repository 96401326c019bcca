"""Lire une réponse d'erreur de l'API : un problème RFC 9457 (`application/problem+json`)."""

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def problem(response, status):
    """Vérifie le statut, le type de contenu et la forme du problème ; renvoie son corps."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json", response["Content-Type"]
    body = response.json()
    assert PROBLEM_KEYS <= set(body), body
    assert body["status"] == status
    assert body["type"].startswith("urn:mniop:probleme:")
    return body


def field_errors(response, status=400):
    """Les messages du problème, par champ (`None` : l'ensemble de la requête)."""
    by_field = {}
    for error in problem(response, status)["errors"]:
        by_field.setdefault(error["field"], []).append(error["detail"])
    return by_field
