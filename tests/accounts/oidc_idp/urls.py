import json

from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def create_account(request):
    """Réservé aux tests : crée un compte du fournisseur avec ses revendications."""
    data = json.loads(request.body)
    user = User.objects.create_user(
        username=data["username"],
        email=data["email"],
        password=data["password"],
        last_name=json.dumps(data.get("claims", {})),
    )
    return JsonResponse({"sub": str(user.pk)}, status=201)


urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(template_name="idp_login.html"), name="login"),
    path("comptes/", create_account),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
