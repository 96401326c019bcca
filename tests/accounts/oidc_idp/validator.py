from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Les revendications de chaque compte du fournisseur : adresse, adresse vérifiée ou non, acr/amr. Les valeurs
    propres au test sont gardées en JSON dans le champ `last_name` du compte (le fournisseur n'a pas d'autre usage)."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "email_verified": "email",
        "given_name": "given_name",
        "acr": "openid",
        "amr": "openid",
    }

    def get_additional_claims(self, request):
        import json

        user = request.user
        extra = json.loads(user.last_name or "{}")
        return {"email": user.email, "given_name": user.first_name, **extra}
