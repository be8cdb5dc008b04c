"""Reference data of the development projects, from ../shared/seeds/pikassos-satakunta.txt.

Loaded by the data migration 0002 through `load_reference_data`, which takes the
migration's historical `apps`, and can be run again: rows are matched on their slug
and updated in place. Only what the seed states is recorded; everything else is left
empty ("not recorded") for the planners to fill in:

- TOP – Tuki oikeasta paikasta / Stöd från rätt plats: 2020–2022 (years only), funded
  by STM, part of the Programme to Address Child and Family Services (LAPE), Pikassos a
  co-implementer (osatoteuttaja). Its theme is child protection ("lastensuojelun
  monialainen vahvistaminen"). Status "ended": its period ended in 2022.
- Tulevaisuuden sote-keskus (Satakunta): Pikassos' planner is responsible for the
  development of social services in the project team; four themes. The seed gives no
  period, funder, programme, Swedish name or role label for Pikassos, so none is set,
  and no responsible user: the seed names the planner's job, not the person.
"""

import datetime

PIKASSOS = "pikassos"
STM = "stm"
YEAR = "year"
DAY = "day"
CO_IMPLEMENTER = "co_implementer"
ENDED = "ended"

# (slug, Finnish, Swedish, English): the themes named in the seed and the issue.
THEMES = [
    (
        "social-services-content",
        "Sosiaalihuollon ja sosiaalityön sisällöt",
        "Socialvårdens och det sociala arbetets innehåll",
        "Content of social services and social work",
    ),
    (
        "structural-social-work",
        "Rakenteellinen sosiaalityö",
        "Strukturellt socialt arbete",
        "Structural social work",
    ),
    (
        "community-social-work",
        "Yhteisösosiaalityö",
        "Samhällsinriktat socialt arbete",
        "Community social work",
    ),
    (
        "social-work-all-ages",
        "Eri-ikäisten sosiaalityö",
        "Socialt arbete för alla åldrar",
        "Social work for all ages",
    ),
    ("child-protection", "Lastensuojelu", "Barnskydd", "Child protection"),
]

TOP = {
    "slug": "top",
    "name": "Tuki oikeasta paikasta",
    "name_sv": "Stöd från rätt plats",
    "acronym": "TOP",
    "start_date": datetime.date(2020, 1, 1),
    "end_date": datetime.date(2022, 12, 31),
    "period_precision": YEAR,
    "status": ENDED,
    "funder": STM,
    "programme": "Lapsi- ja perhepalvelujen muutosohjelma (LAPE)",
    "pikassos_role": CO_IMPLEMENTER,
    "description": (
        "Länsi-Suomen lastensuojelun monialainen vahvistaminen 2020–2022. Hanke on yksi "
        "STM:n rahoittamista lastensuojelun monialaisen kehittämisen hankkeista ja osa "
        "Lapsi- ja perhepalvelujen muutosohjelmaa (LAPE). Pikassos on hankkeen osatoteuttaja."
    ),
    "themes": ["child-protection"],
    # (organisation slug, role, contribution)
    "partners": [(PIKASSOS, CO_IMPLEMENTER, "")],
}

TULEVAISUUDEN_SOTE_KESKUS = {
    "slug": "tulevaisuuden-sote-keskus",
    "name": "Tulevaisuuden sote-keskus",
    "name_sv": "",
    "acronym": "",
    "start_date": None,
    "end_date": None,
    "period_precision": DAY,
    "status": "",
    "funder": None,
    "programme": "",
    "pikassos_role": "",
    "description": (
        "Satakunnan Tulevaisuuden sote-keskus -hanke. Pikassoksen suunnittelija vastaa "
        "sosiaalihuollon kehittämisestä hanketiimissä. Kehittämisen isoina teemoina ovat "
        "muun muassa sosiaalihuollon ja sosiaalityön sisältöjen kehittäminen, rakenteellisen "
        "sosiaalityön edistäminen, yhteisösosiaalityön tukeminen sekä eri-ikäisten "
        "sosiaalityön vahvistaminen."
    ),
    "themes": [
        "social-services-content",
        "structural-social-work",
        "community-social-work",
        "social-work-all-ages",
    ],
    "partners": [
        (PIKASSOS, "", "Suunnittelija vastaa sosiaalihuollon kehittämisestä hanketiimissä."),
    ],
}

PROJECTS = [TOP, TULEVAISUUDEN_SOTE_KESKUS]
PROJECT_FIELDS = [
    "name",
    "name_sv",
    "acronym",
    "start_date",
    "end_date",
    "period_precision",
    "status",
    "programme",
    "pikassos_role",
    "description",
]


def load_reference_data(apps):
    Organisation = apps.get_model("municipalities", "Organisation")
    Theme = apps.get_model("projects", "Theme")
    Project = apps.get_model("projects", "Project")
    Partnership = apps.get_model("projects", "Partnership")

    themes = {}
    for order, (slug, name, name_sv, name_en) in enumerate(THEMES, start=1):
        themes[slug], _ = Theme.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_sv": name_sv, "name_en": name_en, "order": order},
        )
    for data in PROJECTS:
        defaults = {field: data[field] for field in PROJECT_FIELDS}
        defaults["funder"] = (
            Organisation.objects.get(slug=data["funder"]) if data["funder"] else None
        )
        # The seed comes from Pikassos' public web page.
        defaults["is_public"] = True
        project, _ = Project.objects.update_or_create(slug=data["slug"], defaults=defaults)
        project.themes.add(*(themes[slug] for slug in data["themes"]))
        for org_slug, role, contribution in data["partners"]:
            Partnership.objects.update_or_create(
                project=project,
                organisation=Organisation.objects.get(slug=org_slug),
                defaults={"role": role, "contribution": contribution},
            )


def unload_reference_data(apps):
    Theme = apps.get_model("projects", "Theme")
    Project = apps.get_model("projects", "Project")

    Project.objects.filter(slug__in=[p["slug"] for p in PROJECTS]).delete()
    Theme.objects.filter(slug__in=[t[0] for t in THEMES]).delete()
