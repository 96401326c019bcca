"""La pagination de toutes les listes de l'API : par curseur (`cursor`), `next` et `previous` en liens complets ;
chaque vue donne son ordre (`ordering`)."""

from rest_framework import exceptions, pagination

INVALID_CURSOR = "Curseur de pagination invalide : reprenez le lien `next` ou `previous` d'une réponse."
INVALID_PAGE_SIZE = "Indiquez un nombre entier de résultats par page, de 1 à {maximum}."


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("-created_at", "-id")
    invalid_cursor_message = INVALID_CURSOR

    def get_ordering(self, request, queryset, view):
        """L'ordre de la vue (`ordering`), sinon celui par défaut ; toujours un ordre total (l'id en dernier)."""
        ordering = getattr(view, "ordering", None) or self.ordering
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)

    def get_page_size(self, request):
        """Une taille de page hors de 1 à `max_page_size` est refusée (400), pas remplacée en silence."""
        value = request.query_params.get(self.page_size_query_param)
        if value is not None:
            try:
                size = int(value)
            except ValueError:
                size = 0
            if not 1 <= size <= self.max_page_size:
                raise exceptions.ValidationError(
                    {self.page_size_query_param: [INVALID_PAGE_SIZE.format(maximum=self.max_page_size)]}
                )
            return size
        return self.page_size

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        descriptions = {
            self.cursor_query_param: "Curseur de la page : reprendre le lien `next` ou `previous` de la réponse.",
            self.page_size_query_param: f"Nombre de résultats par page ({self.page_size} par défaut, "
            f"{self.max_page_size} au plus).",
        }
        for parameter in parameters:
            parameter["description"] = descriptions.get(parameter["name"], parameter.get("description", ""))
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["next"]["description"] = "Lien de la page suivante ; `null` sur la dernière."
        response["properties"]["previous"]["description"] = "Lien de la page précédente ; `null` sur la première."
        return response
