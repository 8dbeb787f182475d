from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalBackend(ModelBackend):
    """Django's backend, loading the user's area with the user.

    Every page shows the user's commune or province in the navigation bar and scopes its rows
    by them; fetching them in the same query saves one or two queries per request.
    """

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("province", "commune")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
