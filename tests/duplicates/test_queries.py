"""The cluster page makes the same number of queries for 3 linked threads as for 30:
cluster, its threads (with tags), the main thread (first fix), fixes, people affected;
a signed-in viewer adds session and user."""

from __future__ import annotations

import pytest

from duplicates import clusters
from forum import actions
from tests.factories import AnswerFactory, ThreadFactory, UserFactory


@pytest.mark.parametrize("n", (3, 30))
@pytest.mark.parametrize(("who", "expected"), [("client", 6), ("bob_client", 8)])
def test_cluster_page_queries_are_fixed(request, n, who, expected, bob, category, django_assert_num_queries):
    threads = ThreadFactory.create_batch(n, category=category)
    for other in threads[1:]:
        clusters.link_manually(threads[0], other, bob)
    for thread in threads:
        actions.me_too(UserFactory(), thread)
    for thread in threads[:2]:
        actions.mark_official(AnswerFactory(thread=thread, author=bob), bob)
    url = clusters.cluster_of(threads[0]).cluster.get_absolute_url()
    client = request.getfixturevalue(who)
    client.get(url)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["threads"]) == n
    assert response.context["affected"] == 2 * n  # each asker and each voter, once
