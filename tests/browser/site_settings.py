"""Settings of the browser tests' demo server (``demo_site``): the test
settings, with DEBUG off while serving, as Django's test runner sets it for
the live server of a test."""

from policing.settings_test import *  # noqa: F403

DEBUG = False

# Served from the apps' static folders, as the live server of a test serves
# them: no collectstatic before a test run. WhiteNoise looks there only when
# told to once DEBUG is off.
WHITENOISE_USE_FINDERS = True
