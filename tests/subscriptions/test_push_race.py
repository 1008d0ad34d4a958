"""A profile push racing another push of the same policy still queues each delivery once (issue 14)."""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.db import connections, transaction
from django.utils import timezone

from gongkai.documents.constants import DocType
from gongkai.subscriptions import matching
from gongkai.subscriptions.constants import OCCASION_PUBLISHED, Channel
from gongkai.subscriptions.models import Delivery, Profile, ProfileTag
from gongkai.taxonomy.models import Tag


def profile_with(*codes: str, email: str) -> Profile:
    profile = Profile.objects.create(email=email, email_confirmed=True)
    for code in codes:
        ProfileTag.objects.create(profile=profile, tag=Tag.objects.get(code=code))
    return profile


@pytest.mark.skipif(
    os.environ.get("GONGKAI_TEST_DB") != "postgres", reason="concurrent writers are tested on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_a_push_racing_a_concurrent_one_queues_each_delivery_once(make_document):
    policy = make_document("关于支持退役军人就业创业的若干措施", doc_type=DocType.MEASURES,
                           tags=["veterans", "employment", "theme-1502"])  # fmt: skip
    first = profile_with("veterans", "employment", email="first@example.com")
    second = profile_with("veterans", "employment", email="second@example.com")
    assert not Delivery.objects.filter(document=policy).exists()  # the push takes its plain INSERT
    inserted, errors, waited = threading.Event(), [], []

    def concurrent_push() -> None:  # has queued the first profile's e-mail, commits once the push waits
        try:
            with transaction.atomic():
                Delivery.objects.create(profile=first, document=policy, occasion=OCCASION_PUBLISHED,
                                        channel=Channel.EMAIL, created_at=timezone.now(), reason={"by": "race"})  # fmt: skip
                inserted.set()
                with connections["default"].cursor() as cursor:
                    for _ in range(200):  # until the push's INSERT waits on that row's key
                        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                       "AND wait_event_type = 'Lock'")  # fmt: skip
                        if cursor.fetchone()[0]:
                            waited.append(True)
                            break
                        time.sleep(0.05)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=concurrent_push)
    thread.start()
    assert inserted.wait(10)
    with transaction.atomic():
        counts = matching.queue_profile_deliveries(
            policy, OCCASION_PUBLISHED, policy.tags.values_list("pk", flat=True)
        )
    thread.join()
    assert errors == [] and waited == [True]
    assert counts[Channel.EMAIL] == 1  # the second profile: the first one's row was there already
    rows = Delivery.objects.filter(document=policy, channel=Channel.EMAIL)
    assert sorted(rows.values_list("profile_id", flat=True)) == [first.pk, second.pk]
    assert rows.get(profile=first).reason == {"by": "race"}
