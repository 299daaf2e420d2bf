"""The ``newsfold`` command: thin wrappers over the library, each with ``--json``."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import click
from platformdirs import user_data_dir

from newsfold.config import Settings
from newsfold.copies.lineage import lineage_trees
from newsfold.model import Citation, CopyLink, LineageNode, StoryMember, StorySummary, StorySynthesis
from newsfold.pipeline import Engine, IngestReport, collect_files
from newsfold.rank import independent_sources, rank_stories
from newsfold.store import Store, open_store
from newsfold.synthesis import ACCOUNT_SENTENCES, synthesize

TOP_CANDIDATES = 500  # the most recently active stories are the only front-page candidates


def _database_url(value: str | None) -> str:
    if value is None:
        return Settings().database_url
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _open(ctx: click.Context) -> Store:
    url: str = ctx.obj["db"]
    try:
        return open_store(url)
    except Exception as exc:
        raise click.ClickException(f"cannot open the store at {url}: {exc}") from exc


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.group()
@click.option(
    "--db",
    help="Store: a SQLite file path or a SQLAlchemy URL. Default: $NEWSFOLD_DATABASE_URL, "
    "else newsfold.db in your data folder.",
)
@click.version_option(package_name="newsfold")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """newsfold: fold many reports of the same event into one story."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = _database_url(db)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], as_json: bool, quiet: bool) -> None:
    """Read articles from files and folders (.txt, .html, .htm, .json, .jsonl, also .gz)."""
    with _open(ctx) as store:
        report = _run_ingest(store, list(paths), quiet=quiet or as_json)
    _print_report(report, as_json)


def _run_ingest(store: Store, paths: list[Path], *, quiet: bool) -> IngestReport:
    engine = Engine(store)
    files, skipped = collect_files(paths)
    if quiet:
        return engine.ingest_files(files, skipped=skipped)
    with click.progressbar(length=len(files), label="ingesting", file=sys.stderr, show_pos=True) as bar:
        return engine.ingest_files(files, skipped=skipped, on_file=lambda _path: bar.update(1))


def _print_report(report: IngestReport, as_json: bool) -> None:
    if as_json:
        _echo_json(report.as_dict())
        return
    for skipped in report.skipped:
        click.echo(f"skipped  {skipped.origin}: {skipped.reason}", err=True)
    for warning in report.warnings:
        click.echo(f"warning  {warning.origin}: {warning.reason}", err=True)
    click.echo(
        f"{report.files} files, {report.read} documents read: {report.new} new "
        f"({report.duplicates} duplicates, {report.copies} copies), {report.revised} revised, {report.unchanged} already stored, "
        f"{len(report.skipped)} skipped; {len(report.stories_touched)} stories touched "
        f"({report.stories_opened} new"
        + (f", {report.stories_merged} merged" if report.stories_merged else "")
        + ")"
    )


def _summary_json(story: StorySummary) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "articles": story.article_count,
        "outlets": story.outlet_count,
        "first_published": _iso(story.first_published),
        "last_activity": _iso(story.last_activity),
    }


@cli.command()
@click.option("--limit", "-n", type=int, default=None, help="Show at most N stories.")
@click.option("--top", is_flag=True, help="Front-page order: independent sources, recency, growth.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def stories(ctx: click.Context, limit: int | None, top: bool, as_json: bool) -> None:
    """List stories, newest activity first (or in front-page order with --top)."""
    if top:
        _top_stories(ctx, limit or 20, as_json)
        return
    with _open(ctx) as store:
        found = store.stories(limit=limit)
        members = store.story_article_ids([s.id for s in found]) if as_json else {}
    if as_json:
        _echo_json([{**_summary_json(s), "article_ids": members.get(s.id, [])} for s in found])
        return
    if not found:
        click.echo("No stories yet. Try: newsfold ingest PATH  (or newsfold demo)")
        return
    _print_story_table(found)


def _top_stories(ctx: click.Context, limit: int, as_json: bool) -> None:
    with _open(ctx) as store:
        candidates = store.stories(limit=TOP_CANDIDATES)
        ranked = rank_stories(found for s in candidates if (found := store.story(s.id)) is not None)[:limit]
    if as_json:
        _echo_json(
            [
                {
                    **_summary_json(r.story),
                    "score": round(r.score, 4),
                    "independent_sources": r.independent_sources,
                    "recent_articles": r.recent_articles,
                }
                for r in ranked
            ]
        )
        return
    click.echo(f"{'story':<14} {'score':>5} {'indep':>5} {'arts':>4}  {'last activity':<16}  title")
    for r in ranked:
        click.echo(
            f"{r.story.id:<14} {r.score:5.2f} {r.independent_sources:>5} {r.story.article_count:>4}  "
            f"{_when(r.story.last_activity):<16}  {r.story.title}"
        )


def _print_story_table(found: list[StorySummary]) -> None:
    width = shutil.get_terminal_size((100, 20)).columns
    click.echo(f"{'story':<14} {'arts':>4} {'outl':>4}  {'last activity':<16}  title")
    for story in found:
        line = f"{story.id:<14} {story.article_count:>4} {story.outlet_count:>4}  {_when(story.last_activity):<16}  {story.title}"
        click.echo(line[: max(width, 60)])


def _member_json(member: StoryMember) -> dict[str, Any]:
    return {
        "article_id": member.article_id,
        "outlet": member.outlet,
        "title": member.title,
        "published": _iso(member.published),
        "relation": member.relation,
        "score": member.score,
        "reason": member.reason,
        "nearest": [{"article_id": n.article_id, "score": n.score} for n in member.nearest],
    }


@cli.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--why", is_flag=True, help="Show why each article joined: score, reason, nearest members.")
@click.option(
    "--sentences", type=click.IntRange(1, 100), default=ACCOUNT_SENTENCES, help="Length of the account."
)
@click.pass_context
def story(ctx: click.Context, story_id: str, as_json: bool, why: bool, sentences: int) -> None:
    """Show one story folded into one account: the consolidated account with citations, quotes
    with speakers, timeline, entities, discrepancies, then coverage by outlet with copy lineage."""
    with _open(ctx) as store:
        found = store.story(story_id)
        if found is None:
            raise click.ClickException(f"no story {story_id!r}; `newsfold stories` lists them")
        links = store.copy_links(m.article_id for m in found[1])
        merged = store.merged_into(found[0].id)
        folded = _synthesis(store, found[0].id, found[1], links, sentences)
    summary, members = found
    if as_json:
        _echo_json(_story_json(summary, members, links, merged, folded))
        return
    trees = lineage_trees((m.article_id for m in members), links)
    sources = independent_sources(members)
    click.echo(
        f"{summary.title}\n{summary.id} · {summary.article_count} articles · {summary.outlet_count} outlets"
        f" · {sources} independent sources\n"
    )
    if summary.id != story_id:
        click.echo(f"({story_id} was merged into this story)\n")
    if merged and why:
        click.echo(f"Merged into this story: {', '.join(merged)}\n")
    _print_synthesis(folded)
    by_id = {m.article_id: m for m in members}
    click.echo("Coverage and lineage (original → copies):")
    for tree in trees:
        _print_lineage(tree, by_id, why, depth=0)


def _synthesis(
    store: Store, story_id: str, members: list[StoryMember], links: list[CopyLink], sentences: int
) -> StorySynthesis:
    articles = store.articles(m.article_id for m in members)
    return synthesize(story_id, articles, links, account_sentences=sentences)


def _print_synthesis(folded: StorySynthesis) -> None:
    """The readable story: each cited item ends with the outlets that carry it."""

    def cite(citations: tuple[Citation, ...]) -> str:
        return "[" + "; ".join(dict.fromkeys(c.outlet for c in citations)) + "]"

    click.echo("Account:")
    for sentence in folded.account:
        click.echo(f"  {sentence.text} {cite(sentence.citations)}")
    if folded.quotes:
        click.echo("\nQuotes:")
        for quote in folded.quotes:
            who = quote.speaker or "unattributed"
            click.echo(
                f"  “{_clip(quote.text, 110)}” — {who}{f' ({quote.cue})' if quote.cue else ''} {cite(quote.citations)}"
            )
    if folded.timeline:
        click.echo("\nTimeline:")
        for event in folded.timeline:
            click.echo(f"  {event.date:<10} {_clip(event.text, 100)} {cite(event.citations)}")
    if folded.entities:
        click.echo("\nPeople, organisations, places:")
        for kind in ("person", "organisation", "place"):
            named = [f"{e.name} ({e.mentions})" for e in folded.entities if e.kind == kind][:12]
            if named:
                click.echo(f"  {kind}: {', '.join(named)}")
    if folded.discrepancies:
        click.echo("\nWhere the sources differ:")
        for discrepancy in folded.discrepancies:
            click.echo(f"  {discrepancy.kind}:")
            for variant in discrepancy.variants:
                click.echo(f"    {variant.value}: {_clip(variant.text, 90)} {cite(variant.citations)}")
    click.echo()


def _story_json(
    summary: StorySummary,
    members: list[StoryMember],
    links: list[CopyLink],
    merged: list[str],
    folded: StorySynthesis,
) -> dict[str, Any]:
    """A story as ``story --json`` and ``export`` print it (the documented export format)."""
    return {
        **_summary_json(summary),
        "merged_from": merged,
        "independent_sources": independent_sources(members),
        "members": [_member_json(m) for m in members],
        "copy_links": [_link_json(link) for link in links],
        "lineage": [_lineage_json(tree) for tree in lineage_trees((m.article_id for m in members), links)],
        **_synthesis_json(folded),
    }


def _synthesis_json(folded: StorySynthesis) -> dict[str, Any]:
    """The synthesis sections: account, facts, quotes, timeline, entities, discrepancies."""
    document = dataclasses.asdict(folded)
    del document["story_id"], document["articles"]
    document["sources_counted_once"] = document.pop("sources")
    return document


EXPORT_FORMAT = "newsfold.export/2"
"""Version 2 added the synthesis sections (account, facts, quotes, timeline, entities, discrepancies)."""


@cli.command()
@click.argument("story_ids", nargs=-1)
@click.option("--json", "as_json", is_flag=True, default=True, help="JSON (the default and only format).")
@click.option("--limit", "-n", type=int, default=None, help="Without STORY_IDS: the N most recently active.")
@click.option(
    "--output",
    "-o",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Write to a file (default stdout).",
)
@click.pass_context
def export(
    ctx: click.Context, story_ids: tuple[str, ...], as_json: bool, limit: int | None, output: Any
) -> None:
    """Export stories (all, or the STORY_IDS given) as one JSON document.

    Each story is what `newsfold story ID --json` prints: summary, members with their relation
    and assignment reason, copy links with kind, scores and aligned spans, and lineage trees.
    """
    with _open(ctx) as store:
        ids = list(story_ids) or [s.id for s in store.stories(limit=limit)]
        exported = []
        for story_id in ids:
            found = store.story(story_id)
            if found is None:
                raise click.ClickException(f"no story {story_id!r}; `newsfold stories` lists them")
            summary, members = found
            links = store.copy_links(m.article_id for m in members)
            folded = _synthesis(store, summary.id, members, links, ACCOUNT_SENTENCES)
            exported.append(_story_json(summary, members, links, store.merged_into(summary.id), folded))
    document = {"format": EXPORT_FORMAT, "exported_at": _iso(datetime.now(UTC)), "stories": exported}
    output.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _link_json(link: CopyLink) -> dict[str, Any]:
    return {
        "article_id": link.article_id,
        "original_id": link.original_id,
        "kind": link.kind.value,
        "score": link.score,
        "copy_share": link.copy_share,
        "original_share": link.original_share,
        "spans": [
            {
                "copy": span.copy_text,
                "original": span.original_text,
                "similarity": span.similarity,
                "verbatim": span.verbatim,
            }
            for span in link.spans
        ],
    }


def _lineage_json(node: LineageNode) -> dict[str, Any]:
    return {
        "article_id": node.article_id,
        "kind": node.link.kind.value if node.link else None,
        "copies": [_lineage_json(child) for child in node.children],
    }


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_lineage(node: LineageNode, by_id: dict[str, StoryMember], why: bool, depth: int) -> None:
    member = by_id[node.article_id]
    indent = "  " + "    " * depth
    kind = node.link.kind.value if node.link else ("original" if node.children else "independent")
    click.echo(f"{indent}{member.article_id}  {_when(member.published):<16}  {member.outlet:<28.28}  {kind}")
    click.echo(f"{indent}    {member.title}")
    link = node.link
    if link is not None:
        verbatim = sum(1 for s in link.spans if s.verbatim)
        click.echo(
            f"{indent}    {link.kind.value} of {link.original_id}: score {link.score:.2f}; "
            f"{link.copy_share:.0%} of this text and {link.original_share:.0%} of the original aligned "
            f"in {len(link.spans)} passages ({verbatim} verbatim)"
        )
        for span in link.spans[: None if why else 2]:
            mark = "=" if span.verbatim else f"~{span.similarity:.2f}"
            click.echo(f"{indent}      {mark} “{_clip(span.copy_text)}”")
            if not span.verbatim:
                click.echo(f"{indent}        ← “{_clip(span.original_text)}”")
        if not why and len(link.spans) > 2:
            click.echo(f"{indent}      … {len(link.spans) - 2} more passages (--why or --json shows all)")
    if why:
        nearest = ", ".join(f"{n.article_id} ({n.score:.2f})" for n in member.nearest) or "—"
        click.echo(f"{indent}    why: {member.reason}; score {member.score:.3f}; nearest {nearest}")
    for child in node.children:
        _print_lineage(child, by_id, why, depth + 1)


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def article(ctx: click.Context, article_id: str, as_json: bool) -> None:
    """Show one cleaned article and what was removed from it as boilerplate."""
    with _open(ctx) as store:
        found = store.article(article_id)
        history = store.revisions(article_id)
    if found is None:
        raise click.ClickException(f"no article {article_id!r}; `newsfold story ID` lists a story's articles")
    if as_json:
        _echo_json(
            {
                "id": found.id,
                "url": found.url,
                "origin": found.origin,
                "outlet": found.outlet,
                "title": found.title,
                "authors": found.authors,
                "published": _iso(found.published),
                "dateline": found.dateline,
                "paragraphs": found.paragraphs,
                "removed": [{"text": r.text, "reason": r.reason} for r in found.removed],
                "revisions": [
                    {
                        "revision": r.revision,
                        "title": r.title,
                        "url": r.url,
                        "origin": r.origin,
                        "published": _iso(r.published),
                        "replaced_at": _iso(r.replaced_at),
                        "paragraphs": r.paragraphs,
                    }
                    for r in history
                ],
            }
        )
        return
    click.echo(
        f"{found.title}\n{found.source_name} · {_when(found.published)} · {', '.join(found.authors) or 'no byline'}\n"
    )
    for paragraph in found.paragraphs:
        click.echo(click.wrap_text(paragraph, width=100) + "\n")
    if found.removed:
        click.echo("removed:")
        for removed in found.removed:
            click.echo(f"  [{removed.reason}] {removed.text[:120]}")
    if history:
        click.echo(f"earlier versions ({len(history)}; full text with --json):")
        for old in history:
            words = sum(len(p.split()) for p in old.paragraphs)
            click.echo(f"  r{old.revision} · {_when(old.published)} · {words} words · {old.title[:80]}")


def demo_corpus() -> Path:
    """The bundled demo corpus (written for newsfold; fictional events and outlets)."""
    return Path(str(resources.files("newsfold") / "demo" / "corpus"))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the ingest summary and stories as JSON.")
@click.option("--replace", is_flag=True, help="With --db: replace that database if it already exists.")
@click.pass_context
def demo(ctx: click.Context, as_json: bool, replace: bool) -> None:
    """Ingest the bundled demo corpus into a fresh database and list its stories.

    Without ``--db`` the demo gets its own ``demo.db`` beside the default store, recreated on
    every run, so it never mixes with your real articles.  A database named with ``--db`` is
    only replaced when ``--replace`` says so.
    """
    explicit = ctx.parent is not None and ctx.parent.params.get("db") is not None
    url: str = ctx.obj["db"] if explicit else _database_url(str(Path(user_data_dir("newsfold")) / "demo.db"))
    path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    if path is not None and path.exists():
        if explicit and not replace:
            raise click.ClickException(
                f"{path} already exists; pass --replace to rebuild it with the demo corpus"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    with open_store(url) as store:
        report = _run_ingest(store, [demo_corpus()], quiet=as_json)
        found = store.stories()
    if as_json:
        _echo_json(
            {"database": url, "ingest": report.as_dict(), "stories": [_summary_json(s) for s in found]}
        )
        return
    _print_report(report, False)
    click.echo(f"database: {url}\n")
    _print_story_table(found)
    click.echo(f"\nNext: newsfold --db {path or url} story ID")


def main() -> None:
    cli(prog_name="newsfold")
