"""Choisir dans une liste à saisie assistée (`static/js/combobox.js`) comme une personne au clavier : taper le début
du libellé, flèche bas, Entrée."""


def choose(page, label, *texts):
    """Choisit, dans la liste à saisie assistée nommée `label`, chacune des valeurs `texts` (leurs libellés)."""
    box = page.get_by_role("combobox", name=label)
    for text in texts:
        if box.input_value() == text:
            continue  # déjà choisie (valeur initiale d'une liste à choix unique) : la retaper rouvre toute la liste
        box.focus()
        box.fill("")
        box.press_sequentially(text)
        page.get_by_role("option", name=text, exact=True).first.wait_for()
        box.press("ArrowDown")
        box.press("Enter")
    return box
