from django.contrib.auth import backends, get_user_model
from django.contrib.postgres.aggregates import ArrayAgg


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, reading the user's role names in the same query as the
    user: every signed-in page needs them (navigation, permissions), and a second query
    for them on each request cost as much as the page's own work on the lightest pages."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            role_names=ArrayAgg("groups__name", distinct=True)
        )
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
