from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    PEER_MEETING = "peer_meeting", _("Peer meeting")
    TRAINING = "training", _("Training")
