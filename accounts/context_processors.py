from accounts.roles import Role


def roles(request):
    """The current user's roles for navigation; no query for anonymous users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset(), "Role": Role}
    return {"user_roles": user.roles, "Role": Role}
