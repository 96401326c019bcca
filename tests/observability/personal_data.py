"""Une identité de démonstration, cherchée partout où elle ne doit jamais apparaître (journaux, Sentry)."""

FIRST_NAME = "Adaeze"
LAST_NAME = "Okonkwo-Baptiste"
BIRTH_DATE = "1999-03-17"
NARRATIVE = "Recrutée à Benin City par une passeuse nommée Mama Joy, dette de 35 000 euros"
ADDRESS = "12 rue des Glycines"

FORBIDDEN = [FIRST_NAME, LAST_NAME, BIRTH_DATE, "17/03/1999", NARRATIVE, "Mama Joy", "Benin City", ADDRESS]


def leaks(text, forbidden=FORBIDDEN):
    """Les chaînes interdites présentes dans `text` (sans tenir compte de la casse)."""
    lowered = text.lower()
    return [value for value in forbidden if value and value.lower() in lowered]
