import pytest


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True
    # django-otp delays the next try after a wrong code; the tests try at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
