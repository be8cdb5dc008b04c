import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("correct horse battery staple")


def make_user(role=None, organisation_slugs=(), units=(), **kwargs):
    """A user with a role (the name of its group, accounts.roles.Role) and organisations
    (slugs of the reference data); the root conftest's fixtures are made with it."""
    user = UserFactory(**kwargs)
    if role:
        user.groups.add(Group.objects.get(name=role))
    for slug in organisation_slugs:
        # (The organisation model through the relation: accounts imports no higher floor.)
        user.organisations.add(user.organisations.model.objects.get(slug=slug))
    for name in units:
        # Units by their Finnish name, e.g. "Lastensuojelu, Pori" (a county team).
        user.units.add(user.units.model.objects.get(name=name))
    return user
