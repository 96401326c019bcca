from django.http import JsonResponse


def health(request):  # remplacé par la version complète (base et courtier)
    return JsonResponse({"statut": "ok"})
