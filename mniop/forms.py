def add_service_errors(form, error):
    """Reporte sur le formulaire les erreurs d'une `ValidationError` levée par un service : chacune à côté de son
    champ quand le formulaire l'a, en tête du formulaire sinon."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
