from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from accounts.forms import InvitationAcceptForm
from accounts.models import Invitation, User
from accounts.ratelimits import limit
from accounts.services import accept_invitation
from mniop.forms import add_service_errors

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_not_required
@limit(("invitation-accept", "INVITATION_ACCEPT_PER_ADDRESS", "ip", ()))
def invitation_accept(request, token):
    """Ouvrir le lien reçu par courriel : créer son accès (ou rattacher son compte existant) à l'organisation."""
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if not invitation.is_pending:
        return render(request, "accounts/invitation_expired.html", status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        if not request.user.is_authenticated:
            messages.info(request, "Vous avez déjà un compte : connectez-vous pour accepter l'invitation.")
            return redirect(f"{request.build_absolute_uri('/connexion/')}?next={request.path}")
        if request.method == "POST":
            try:
                accept_invitation(invitation=invitation, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                return redirect("home")
            messages.success(request, f"Vous êtes désormais membre de {invitation.organisation.name}.")
            return redirect("accounts:account_detail")
        return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": None})
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = accept_invitation(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, membership.user, backend=MODEL_BACKEND)
            request.session["membership_id"] = membership.pk
            messages.success(request, f"Bienvenue sur le MNIOP, vous êtes membre de {invitation.organisation.name}.")
            return redirect("home")
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})
