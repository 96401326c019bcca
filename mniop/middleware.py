class CspNonceForDsfrMiddleware:
    """Expose le nonce CSP de Django sous le nom que lit `dsfr/base.html` (`request.csp_nonce`).

    Le nonce paresseux de Django vaut faux tant qu'il n'a pas été lu : on le lit ici pour que les balises <script>
    du DSFR le portent et que l'en-tête Content-Security-Policy l'annonce.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = getattr(request, "_csp_nonce", None)
        if nonce is not None:
            str(nonce)
            request.csp_nonce = nonce
        return self.get_response(request)
