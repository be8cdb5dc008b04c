from django.contrib.auth import backends, get_user_model
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from accounts import authcache


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, reading the user's role names, units and organisations in the
    same query as
    the user: every signed-in page needs them (navigation, permissions), and a second query
    for them on each request cost as much as the page's own work on the lightest pages."""

    def get_user(self, user_id):
        # With a shared cache, the same without a query (accounts.authcache says what is
        # kept and how a change reaches every host at once).
        if authcache.enabled():
            user = authcache.cached_user(user_id)
            if user is not None:
                return user if self.user_can_authenticate(user) else None
        User = get_user_model()
        # The user's units too (the team scope of every list of requests), as a
        # subquery: a second join would multiply the groups' rows.
        memberships = User.units.through.objects.filter(user_id=OuterRef("pk"))
        employers = User.organisations.through.objects.filter(user_id=OuterRef("pk"))
        users = User._default_manager.annotate(
            role_names=ArrayAgg("groups__name", distinct=True),
            unit_id_list=ArraySubquery(memberships.values("unit_id")),
            # The organisations too: a payer's lists are scoped by them (issue 18).
            organisation_id_list=ArraySubquery(employers.values("organisation_id")),
        )
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        if authcache.enabled():
            authcache.store_user(user)
        return user if self.user_can_authenticate(user) else None
