"""How much bearer-token authentication costs, measured against session login.

Run with ``make bench``. Each figure is the median time of one request over
several rounds, and each ratio compares it with the session-authenticated
request measured in the same run, on the same data and machine. The product's
target: a token request costs at most 1.5 times a session request. For scale,
the run also times tokens whose last use is written on every request, the
cost the once-a-minute rule avoids.
"""

import logging
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROUNDS = 7
REQUESTS_PER_ROUND = 50
TOKEN_TARGET_RATIO = 1.5
URL = "/api/v1/leads/?page_size=25"


def seed():
    from tests.conftest import ALL_CRM_PERMISSIONS
    from tests.factories import ApplicationFactory, LeadFactory, UserFactory
    from tokens.scopes import ALL_SCOPES
    from tokens.services import token_issue

    user = UserFactory(username="bench", permissions=ALL_CRM_PERMISSIONS)
    LeadFactory.create_batch(200, owner=user)
    _, clear = token_issue(
        user=user,
        name="bench",
        application=ApplicationFactory(user=user),
        scopes=list(ALL_SCOPES),
        lifetime_hours=1,
    )
    return user, clear


def median_seconds(send):
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(REQUESTS_PER_ROUND):
            response = send()
            if response.status_code != 200:
                sys.exit(f"benchmark request failed: {response.status_code}")
        timings.append((time.perf_counter() - start) / REQUESTS_PER_ROUND)
    return statistics.median(timings)


def main():
    logging.disable(logging.INFO)
    setup_test_environment()
    old_config = connection.creation.create_test_db(verbosity=0)
    try:
        user, clear = seed()
        session = Client()
        session.force_login(user)
        bearer = Client(HTTP_AUTHORIZATION=f"Bearer {clear}")

        baseline = median_seconds(lambda: session.get(URL))
        with_token = median_seconds(lambda: bearer.get(URL))
        every_request = {**settings.TOKENS, "LAST_USED_INTERVAL_SECONDS": 0}
        with override_settings(TOKENS=every_request):
            writing_each_time = median_seconds(lambda: bearer.get(URL))
    finally:
        connection.creation.destroy_test_db(old_config, verbosity=0)

    ratio = with_token / baseline
    print(f"session request (baseline):       {baseline * 1000:8.2f} ms")
    print(f"token request:                    {with_token * 1000:8.2f} ms")
    print(f"token, last use written each time: {writing_each_time * 1000:7.2f} ms")
    target = f"(target <= {TOKEN_TARGET_RATIO})"
    print(f"ratio token/session:              {ratio:8.2f}  {target}")
    print(f"ratio writing-each-time/session:  {writing_each_time / baseline:8.2f}")
    if ratio > TOKEN_TARGET_RATIO:
        sys.exit("benchmark target missed")


if __name__ == "__main__":
    main()
