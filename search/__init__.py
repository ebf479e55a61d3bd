"""One search over plain documents (KB articles, threads, …); knows no app of ours.

Write: `search.index.upsert(SearchDocument(...))`, `search.index.remove(kind, id)`.
Read: `search.query(text, ...)` and `search.similar(title, body, ...)`.
"""

from search.query import query, similar

__all__ = ["query", "similar"]
