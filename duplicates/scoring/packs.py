"""Read an evaluation pack: ``queries.jsonl`` + ``corpus.jsonl`` (SemEval-2016 3B format).

A pack is read into memory only; nothing touches the site's database. Nothing here
knows a pack's ids: any pack in the format works.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .scorer import ThreadText


class PackError(Exception):
    """The pack is missing or malformed; the message names the file and line."""


@dataclass(frozen=True)
class PackQuery:
    query: ThreadText
    candidates: tuple[ThreadText, ...]  # in the search engine's (shipped) order
    ir_ranks: tuple[int, ...]  # the search engine's rank of each candidate
    relevant: tuple[bool, ...]  # gold: True for PerfectMatch or Relevant
    labels: tuple[str, ...] = ()  # three-way labels when the pack has them


@dataclass(frozen=True)
class Pack:
    path: Path
    queries: tuple[PackQuery, ...]

    def threads(self) -> list[ThreadText]:
        """Every distinct text of the pack (queries and candidates), for corpus statistics."""
        seen: dict[str, ThreadText] = {}
        for q in self.queries:
            seen.setdefault(q.query.id, q.query)
            for c in q.candidates:
                seen.setdefault(c.id, c)
        return list(seen.values())


def _read_jsonl(path: Path) -> list[tuple[int, dict]]:
    if not path.is_file():
        raise PackError(f"{path}: file not found")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PackError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise PackError(f"{path}:{number}: expected a JSON object")
            rows.append((number, row))
    return rows


def _field(row: dict, name: str, kind: type, where: str):
    if name not in row:
        raise PackError(f"{where}: missing field {name!r}")
    value = row[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise PackError(f"{where}: field {name!r} should be {kind.__name__}")
    return value


def read_pack(directory: str | Path) -> Pack:
    directory = Path(directory)
    if not directory.is_dir():
        raise PackError(f"{directory}: no such directory")
    corpus_path = directory / "corpus.jsonl"
    queries_path = directory / "queries.jsonl"

    texts: dict[str, ThreadText] = {}
    for number, row in _read_jsonl(corpus_path):
        where = f"{corpus_path}:{number}"
        text_id = _field(row, "id", str, where)
        texts[text_id] = ThreadText(
            id=text_id,
            title=_field(row, "title", str, where),
            body=row.get("body") or "",
            category=row.get("category") or "",
        )

    queries = []
    for number, row in _read_jsonl(queries_path):
        where = f"{queries_path}:{number}"
        query_id = _field(row, "id", str, where)
        candidate_ids = _field(row, "candidate_ids", list, where)
        positive_ids = set(_field(row, "positive_ids", list, where))
        ir_ranks = row.get("ir_ranks") or list(range(1, len(candidate_ids) + 1))
        if len(ir_ranks) != len(candidate_ids) or not all(isinstance(r, int) for r in ir_ranks):
            raise PackError(f"{where}: ir_ranks should be one integer per candidate")
        unknown = [cid for cid in candidate_ids if cid not in texts]
        if unknown:
            raise PackError(f"{where}: candidate {unknown[0]!r} is not in corpus.jsonl")
        query = texts.get(query_id) or ThreadText(
            id=query_id, title=_field(row, "title", str, where), body=row.get("body") or ""
        )
        queries.append(
            PackQuery(
                query=query,
                candidates=tuple(texts[cid] for cid in candidate_ids),
                ir_ranks=tuple(ir_ranks),
                relevant=tuple(cid in positive_ids for cid in candidate_ids),
                labels=tuple(row.get("candidate_labels") or ()),
            )
        )
    if not queries:
        raise PackError(f"{queries_path}: no queries")
    return Pack(path=directory, queries=tuple(queries))
