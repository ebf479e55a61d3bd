"""factory_boy factories for bulk test data. Rows are written through the apps' actions
(as people write them: masked, rendered, indexed, counted), except categories and
people, which have no action of their own here.

    ThreadFactory.create_batch(30, author=alice, category=category)
    AnswerFactory.create_batch(30, thread=thread)  # each by a new verified customer
"""

from __future__ import annotations

import factory

from accounts.models import User
from forum import actions as forum_actions
from forum.models import Category, Post, Thread
from kb import actions as kb_actions
from kb.models import Article
from tests.conftest import make_user


class UserFactory(factory.django.DjangoModelFactory):
    """A verified person (customer unless role= says otherwise), as tests.conftest.make_user."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    role = User.Role.CUSTOMER

    @classmethod
    def _create(cls, model_class, email, display_name, role, **kwargs):
        return make_user(email, display_name, role)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    position = factory.Sequence(int)


class ThreadFactory(factory.Factory):
    """A question asked through forum.actions.create_thread."""

    class Meta:
        model = Thread

    author = factory.SubFactory(UserFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Question number {n} about sync")
    body = factory.Sequence(lambda n: f"Body of question {n}: nothing syncs since the update.")
    tags = factory.Sequence(lambda n: ["sync", f"tag{n % 7}"])

    @classmethod
    def _create(cls, model_class, author, category, title, body, tags):
        return forum_actions.create_thread(author, title, body, category, tags)


class AnswerFactory(factory.Factory):
    """An answer posted through forum.actions.add_answer."""

    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Answer number {n}: sign out and in again.")

    @classmethod
    def _create(cls, model_class, thread, author, body):
        return forum_actions.add_answer(thread, author, body)


class ArticleFactory(factory.Factory):
    """A KB article written by staff through kb.actions (published unless publish=False)."""

    class Meta:
        model = Article

    author = factory.SubFactory(UserFactory, role=User.Role.STAFF)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"How to fix problem number {n}")
    summary = factory.Sequence(lambda n: f"Summary of fix {n}.")
    body = factory.Sequence(lambda n: f"## Step one\n\nDo thing {n}.\n\n## Step two\n\nThen the other thing.")
    tags = factory.Sequence(lambda n: ["sync", f"t{n % 4}"])
    publish = True

    @classmethod
    def _create(cls, model_class, author, category, title, summary, body, tags, publish):
        article = kb_actions.create_article(author, title, summary, body, category, tags)
        if publish:
            kb_actions.publish(article, author)
            article.refresh_from_db()
        return article
