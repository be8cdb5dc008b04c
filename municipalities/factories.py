import factory

from municipalities.models import Membership, Organisation, OrganisationKind


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.NGO
    name = factory.Sequence(lambda n: f"Testijärjestö {n:04d}")
    slug = factory.Sequence(lambda n: f"testijarjesto-{n:04d}")


class MunicipalityFactory(OrganisationFactory):
    kind = OrganisationKind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Testikunta {n:03d}")
    slug = factory.Sequence(lambda n: f"testikunta-{n:03d}")
    # Codes 900-999 are unused by Statistics Finland in Satakunta's data.
    code = factory.Sequence(lambda n: f"{900 + n % 100:03d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(MunicipalityFactory)
    authority = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.JOINT_AUTHORITY)
