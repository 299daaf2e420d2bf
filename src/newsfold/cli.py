"""The ``newsfold`` command: thin wrappers over the library, each with ``--json``."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import sys
import time
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from platformdirs import user_data_dir

from newsfold.config import Settings
from newsfold.copies.lineage import lineage_trees
from newsfold.export import EXPORT_FORMAT, article_json, iso, source_json, story_json, summary_json
from newsfold.ingest.fetch import FetchError, FetchPolicy
from newsfold.ingest.live import PassStopped, SourcePass, follow_moves, stop_pass
from newsfold.ingest.opml import OpmlError, OpmlOutline, read_opml, write_opml
from newsfold.model import (
    Citation,
    CopyLink,
    LineageNode,
    Source,
    SourceKind,
    StoryMember,
    StorySummary,
    StorySynthesis,
)
from newsfold.pipeline import Engine, FetchReport, IngestReport, collect_files, fetch_policy, identify_source
from newsfold.rank import FRONT_PAGE_CANDIDATES, independent_sources, rank_stories
from newsfold.store import AccountExists, SourceExists, Store, open_store
from newsfold.synthesis import ACCOUNT_SENTENCES, synthesize


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
        raise click.ClickException(f"cannot open the store at {_shown_url(url)}: {exc}") from exc


def _shown_url(url: str) -> str:
    """A store URL as it may be printed: its password masked (an error lands in logs and screens)."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


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
        _echo_json([{**summary_json(s), "article_ids": members.get(s.id, [])} for s in found])
        return
    if not found:
        click.echo("No stories yet. Try: newsfold ingest PATH  (or newsfold demo)")
        return
    _print_story_table(found)


def _top_stories(ctx: click.Context, limit: int, as_json: bool) -> None:
    with _open(ctx) as store:
        ranked = rank_stories(store.recent_stories(FRONT_PAGE_CANDIDATES))[:limit]
    if as_json:
        _echo_json(
            [
                {
                    **summary_json(r.story),
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


@cli.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--why", is_flag=True, help="Show why each article joined: score, reason, nearest members.")
@click.option(
    "--sentences", type=click.IntRange(1, 100), default=ACCOUNT_SENTENCES, help="Length of the account."
)
@click.option(
    "--chronological",
    is_flag=True,
    help="Tell the account in the order things happened (default: the order the reports lead with).",
)
@click.pass_context
def story(
    ctx: click.Context, story_id: str, as_json: bool, why: bool, sentences: int, chronological: bool
) -> None:
    """Show one story folded into one account: the consolidated account with citations, quotes
    with speakers, timeline, entities, discrepancies, then coverage by outlet with copy lineage."""
    with _open(ctx) as store:
        found = store.story(story_id)
        if found is None:
            raise click.ClickException(f"no story {story_id!r}; `newsfold stories` lists them")
        links = store.copy_links(m.article_id for m in found[1])
        merged = store.merged_into(found[0].id)
        split_apart = store.splits_of(found[0].id)
        folded = _synthesis(store, found[0].id, found[1], links, sentences, chronological)
    summary, members = found
    if as_json:
        _echo_json(story_json(summary, members, links, merged, split_apart, folded))
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
    if split_apart and why:
        click.echo("Split apart from this story, as another event:")
        for other, split in split_apart:
            click.echo(f"  {other} (normalised cut {split.ncut:.2f})")
        click.echo()
    _print_synthesis(folded)
    by_id = {m.article_id: m for m in members}
    click.echo("Coverage and lineage (original → copies):")
    for tree in trees:
        _print_lineage(tree, by_id, why, depth=0)


def _synthesis(
    store: Store,
    story_id: str,
    members: list[StoryMember],
    links: list[CopyLink],
    sentences: int,
    chronological: bool = False,
) -> StorySynthesis:
    articles = store.articles(m.article_id for m in members)
    return synthesize(story_id, articles, links, account_sentences=sentences, chronological=chronological)


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
            dated_by = f"[{', '.join(event.expressions)}] " if event.expressions else ""
            click.echo(f"  {event.date:<10} {dated_by}{_clip(event.text, 100)} {cite(event.citations)}")
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
            exported.append(
                story_json(
                    summary,
                    members,
                    links,
                    store.merged_into(summary.id),
                    store.splits_of(summary.id),
                    folded,
                )
            )
    document = {"format": EXPORT_FORMAT, "exported_at": iso(datetime.now(UTC)), "stories": exported}
    output.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


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
        _echo_json(article_json(found, history))
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
@click.option(
    "--serve/--no-serve",
    "then_serve",
    default=True,
    show_default=True,
    help="Serve the reader on http://127.0.0.1:PORT afterwards (not with --json).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.pass_context
def demo(ctx: click.Context, as_json: bool, replace: bool, then_serve: bool, port: int) -> None:
    """Ingest the bundled demo corpus into a fresh database, list its stories, then serve the reader.

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
            {
                "database": _shown_url(url),
                "ingest": report.as_dict(),
                "stories": [summary_json(s) for s in found],
            }
        )
        return
    _print_report(report, False)
    click.echo(f"database: {_shown_url(url)}\n")
    _print_story_table(found)
    click.echo(f"\nNext: newsfold --db {path or _shown_url(url)} story ID")
    if then_serve:
        click.echo(f"\nOpen http://127.0.0.1:{port}/ to read the stories.")
        _serve(url, "127.0.0.1", port)


# -- live sources -------------------------------------------------------------------------------

_allow_network = click.option(
    "--allow-network",
    "allow_networks",
    multiple=True,
    metavar="CIDR",
    help="Allow fetching from this non-public network (e.g. 127.0.0.0/8); repeatable. "
    "Default: $NEWSFOLD_ALLOW_NETWORKS; public addresses only.",
)


def _fetch_policy(allow_networks: tuple[str, ...]) -> FetchPolicy:
    try:
        return fetch_policy(Settings(), allow_networks)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--allow-network") from exc


@cli.group()
def sources() -> None:
    """Live sources: feeds, listing pages and sitemaps newsfold follows."""


@sources.command("add")
@click.argument("url")
@click.option(
    "--kind",
    type=click.Choice(["auto", *[k.value for k in SourceKind]]),
    default="auto",
    show_default=True,
    help="What URL is; auto fetches it to find out (and follows a site's announced feed).",
)
@click.option("--title", help="Name to show for the source (default: the feed's title).")
@click.option("--category", help="Folder for OPML export, e.g. World/Europe.")
@_allow_network
@click.option("--json", "as_json", is_flag=True, help="Print the new source as JSON.")
@click.pass_context
def sources_add(
    ctx: click.Context,
    url: str,
    kind: str,
    title: str | None,
    category: str | None,
    allow_networks: tuple[str, ...],
    as_json: bool,
) -> None:
    """Follow URL: a feed (RSS, Atom, JSON Feed), a site or listing page, or a sitemap."""
    url = url.strip()
    if kind == "auto":
        try:
            found_url, found_kind = asyncio.run(identify_source(url, _fetch_policy(allow_networks)))
        except FetchError as exc:
            raise click.ClickException(
                f"cannot add {url}: {exc.reason} (use --kind to add it without checking)"
            ) from exc
        if found_url != url and not as_json:
            click.echo(f"{url} announces a feed; following {found_url}")
        url = found_url
    else:
        found_kind = SourceKind(kind)
    with _open(ctx) as store:
        try:
            source = store.add_source(Source(url, found_kind, title=title, category=category))
        except SourceExists as exc:
            raise click.ClickException(f"{exc}; `newsfold sources list` shows it") from exc
    if as_json:
        _echo_json(source_json(source))
    else:
        click.echo(f"added source {source.id}: {source.url} ({source.kind.value}); `newsfold fetch` reads it")


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def sources_list(ctx: click.Context, as_json: bool) -> None:
    """The sources followed, with each one's health: ok, new, failing or down."""
    with _open(ctx) as store:
        found = store.sources()
    if as_json:
        _echo_json([source_json(s) for s in found])
        return
    if not found:
        click.echo("no sources yet: `newsfold sources add URL` or `newsfold sources import FILE.opml`")
        return
    click.echo(
        f"{'id':>4}  {'kind':<7} {'health':<8} {'articles':>8}  {'last success':<16}  {'next due':<16}  source"
    )
    for source in found:
        click.echo(
            f"{source.id:>4}  {source.kind.value:<7} {source.health:<8} {source.articles:>8}  "
            f"{_when(source.last_success):<16}  {_when(source.next_due):<16}  {source.title or source.url}"
        )
        if source.title:
            click.echo(f"{'':>48}{source.url}")
        if source.last_error:
            click.echo(f"{'':>48}last error ({source.error_count} in a row): {_clip(source.last_error, 100)}")


@sources.command("remove")
@click.argument("source")
@click.pass_context
def sources_remove(ctx: click.Context, source: str) -> None:
    """Stop following SOURCE (an id or URL); the articles it brought stay."""
    with _open(ctx) as store:
        found = store.source(source)
        if found is None or found.id is None:
            raise click.ClickException(f"no source {source!r}; `newsfold sources list` shows them")
        store.remove_source(found.id)
    click.echo(f"removed source {found.id}: {found.url}")


@sources.command("import")
@click.argument("opml_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what was added and skipped as JSON.")
@click.pass_context
def sources_import(ctx: click.Context, opml_file: Path, as_json: bool) -> None:
    """Follow every feed of an OPML file (a feed reader's export); feeds already followed are skipped."""
    try:
        outlines = read_opml(opml_file.read_bytes())
    except OpmlError as exc:
        raise click.ClickException(f"cannot read {opml_file}: {exc}") from exc
    added, skipped = [], []
    with _open(ctx) as store:
        for outline in outlines:
            try:
                source = store.add_source(
                    Source(
                        outline.url,
                        SourceKind.FEED,
                        title=outline.title,
                        site_url=outline.site_url,
                        category=outline.category,
                    )
                )
                added.append(source)
            except SourceExists:
                skipped.append(outline.url)
    if as_json:
        _echo_json({"added": [source_json(s) for s in added], "already_followed": skipped})
    else:
        click.echo(f"imported {len(added)} feeds from {opml_file}; {len(skipped)} already followed")


@sources.command("export")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file, not stdout."
)
@click.pass_context
def sources_export(ctx: click.Context, output: Path | None) -> None:
    """The sources as OPML 2.0, for another feed reader (folders from each source's category)."""
    with _open(ctx) as store:
        document = write_opml(OpmlOutline(s.url, s.title, s.site_url, s.category) for s in store.sources())
    if output is None:
        click.echo(document, nl=False)
    else:
        output.write_text(document, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@cli.command()
@_allow_network
@click.option("--all", "every", is_flag=True, help="Fetch every source now, not only those due.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def fetch(
    ctx: click.Context, allow_networks: tuple[str, ...], every: bool, as_json: bool, quiet: bool
) -> None:
    """One pass over the sources that are due: fetch what is new, fold it into stories.

    A source that moved for good (a permanent redirect) is followed at its new URL from then on.
    """
    policy = _fetch_policy(allow_networks)
    with _open(ctx) as store:
        due = store.sources() if every else store.due_sources(datetime.now(UTC))
        report = _fetch_pass(Engine(store), due, policy, quiet=quiet or as_json) if due else None
        for note in follow_moves(store, report.sources if report else []):
            click.echo(note, err=True)
    if report is None:
        if as_json:
            _echo_json(FetchReport().as_dict())
        else:
            click.echo("no sources due; `newsfold sources list` shows when each is next due")
        return
    _print_fetch_report(report, as_json)


def _fetch_pass(engine: Engine, due: list[Source], policy: FetchPolicy, *, quiet: bool) -> FetchReport:
    if quiet:
        return engine.fetch_sources(due, policy)
    with click.progressbar(length=len(due), label="fetching sources", file=sys.stderr, show_pos=True) as bar:

        def advance(_source_pass: SourcePass) -> None:
            bar.update(1)

        return engine.fetch_sources(due, policy, on_source=advance)


def _print_fetch_report(report: FetchReport, as_json: bool) -> None:
    if as_json:
        _echo_json(report.as_dict())
        return
    ingest = report.ingest
    unchanged = sum(1 for p in report.sources if p.not_modified)
    click.echo(
        f"{len(report.sources)} sources: {len(report.sources) - len(report.failed) - unchanged} read, "
        f"{unchanged} unchanged (304), {len(report.failed)} failed · {ingest.new} new articles, "
        f"{ingest.revised} revised, {len(ingest.stories_touched)} stories touched"
    )
    for failed in report.failed:
        click.echo(f"  failed: {failed.source.title or failed.source.url}: {_clip(failed.error or '', 120)}")
    if ingest.skipped:
        click.echo(f"  {len(ingest.skipped)} items skipped (`--json` lists them with reasons)")


@cli.command()
@_allow_network
@click.option(
    "--passes", type=click.IntRange(1), default=None, help="Stop after N passes (default: until stopped)."
)
@click.option(
    "--max-sleep",
    type=click.FloatRange(1),
    default=300.0,
    show_default=True,
    help="Longest wait between passes, in seconds (a source added meanwhile is seen by then).",
)
@click.option("--json", "as_json", is_flag=True, help="Print each pass's summary as one JSON line.")
@click.option("--quiet", "-q", is_flag=True, help="Only the summaries, no progress bars.")
@click.pass_context
def watch(
    ctx: click.Context,
    allow_networks: tuple[str, ...],
    passes: int | None,
    max_sleep: float,
    as_json: bool,
    quiet: bool,
) -> None:
    """Run passes whenever sources fall due, until stopped (Ctrl-C, SIGTERM) or --passes are done.

    Each source has its own interval, adapted to how often it publishes, and backs off when it
    fails.  Every look at the schedule is a pass, one that finds nothing due too, so ``--passes N``
    always ends; with no sources at all, ``--passes`` ends at once (without, the watch waits for
    one to be added).  SIGTERM ends the watch as soon as the source being saved is saved: the
    pass's other sources are left as they were, still due, and are read in full next time, so
    nothing is lost (a source's items are remembered only after its articles are saved).
    """
    policy = _fetch_policy(allow_networks)
    stop = {"requested": False}

    def request_stop(*_: object) -> None:
        stop["requested"] = True

    def one_pass(engine: Engine, due: list[Source], saved: list[SourcePass]) -> FetchReport:
        """A pass that, once SIGTERM has come, ends after the source being saved (PassStopped)."""

        def on_source(source_pass: SourcePass, bar: Any) -> None:
            saved.append(source_pass)
            if bar is not None:
                bar.update(1)
            if stop["requested"] and len(saved) < len(due):  # after the last one the pass is whole anyway
                stop_pass()

        if quiet or as_json:
            return engine.fetch_sources(due, policy, on_source=lambda p: on_source(p, None))
        label = "fetching sources"
        with click.progressbar(length=len(due), label=label, file=sys.stderr, show_pos=True) as bar:
            return engine.fetch_sources(due, policy, on_source=lambda p: on_source(p, bar))

    try:
        previous = signal.signal(signal.SIGTERM, request_stop)
        installed = True
    except ValueError:  # not in the main thread (run from another program): no handler can be set
        previous, installed = None, False
    done = 0
    try:
        with _open(ctx) as store:
            engine: Engine | None = None  # built once, at the first pass: it reads the whole store
            while not stop["requested"] and (passes is None or done < passes):
                due = store.due_sources(datetime.now(UTC))
                followed = store.sources()
                if not followed:
                    click.echo("no sources to watch: `newsfold sources add URL` first", err=True)
                    if passes is not None:
                        break  # nothing can fall due before the passes are done
                report = FetchReport()
                if due:
                    engine = engine or Engine(store)
                    saved: list[SourcePass] = []
                    try:
                        report = one_pass(engine, due, saved)
                    except PassStopped:
                        click.echo(
                            f"stopped during a pass: {len(saved)} of {len(due)} sources read and saved, "
                            "the others left as they were (still due)",
                            err=True,
                        )
                        break
                    finally:
                        for note in follow_moves(store, saved):
                            click.echo(note, err=True)
                done += 1
                if as_json:
                    click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
                elif due:
                    click.echo(f"[{datetime.now().astimezone():%Y-%m-%d %H:%M:%S}] ", nl=False)
                    _print_fetch_report(report, False)
                elif followed:
                    click.echo(f"[{datetime.now().astimezone():%Y-%m-%d %H:%M:%S}] nothing due")
                if passes is not None and done >= passes:
                    break
                upcoming = [s.next_due for s in store.sources() if s.next_due is not None]
                wait = max_sleep
                if upcoming:
                    wait = min(max_sleep, max(1.0, (min(upcoming) - datetime.now(UTC)).total_seconds()))
                slept = 0.0
                while slept < wait and not stop["requested"]:
                    time.sleep(min(1.0, wait - slept))
                    slept += 1.0
    except KeyboardInterrupt:
        pass
    finally:
        if installed:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    if not as_json:
        click.echo(f"stopped after {done} passes", err=True)


_accounts_option = click.option(
    "--accounts/--single-user",
    default=None,
    help="Readers log in with accounts (`newsfold accounts add`), or one implicit reader with no "
    "login. Default: $NEWSFOLD_ACCOUNTS, else single-user.",
)
_registration_option = click.option(
    "--open-registration",
    is_flag=True,
    default=None,
    help="With --accounts: let visitors make accounts at /register.",
)


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (localhost only by default)."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="A Host name to answer to besides localhost and the --host address (repeatable; "
    "'*.example.org' for a domain): the name a proxy in front forwards. Others get a 400.",
)
@_accounts_option
@_registration_option
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    allowed_hosts: tuple[str, ...],
    accounts: bool | None,
    open_registration: bool | None,
) -> None:
    """Serve the reader: front page, stories, articles, your feed, JSON API (/api, docs at /docs), Atom feeds."""
    _serve(ctx.obj["db"], host, port, accounts, open_registration, allowed_hosts)


def _serve(
    url: str,
    host: str,
    port: int,
    accounts: bool | None = None,
    registration: bool | None = None,
    allowed_hosts: tuple[str, ...] = (),
) -> None:
    import uvicorn

    from newsfold.web import create_app

    # the bound address answers too, unless it is every address (then only the names given do)
    bound = () if host in ("0.0.0.0", "::", "") else (host,)
    app = create_app(
        url, accounts=accounts, open_registration=registration, allowed_hosts=(*bound, *allowed_hosts)
    )
    mode = "accounts" if app.state.gate.accounts else "single-user"
    click.echo("folding the front page's stories before the first reader comes…", err=True)
    app.state.reader.warm()  # before the address is announced: it answers as soon as it is
    click.echo(
        f"newsfold is serving {_shown_url(url)} at http://{host}:{port}/ ({mode}; Ctrl-C stops it)", err=True
    )
    if not bound and not allowed_hosts:
        click.echo("listening on every address; answering only to localhost: add --allowed-host", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.group()
def accounts() -> None:
    """Reader accounts, for a reader served with --accounts."""


def _read_password(password_stdin: bool) -> str:
    from newsfold.web.auth import password_problem

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    return password


@accounts.command("add")
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin (for scripts)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def accounts_add(ctx: click.Context, name: str, password_stdin: bool, as_json: bool) -> None:
    """Make an account NAME (asks for its password)."""
    from newsfold.web.auth import account_name_problem, hash_password

    problem = account_name_problem(name)
    if problem:
        raise click.ClickException(problem)
    password = _read_password(password_stdin)
    with _open(ctx) as store:
        try:
            account = store.create_account(name, hash_password(password))
        except AccountExists as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        _echo_json({"id": account.id, "name": account.name, "created": account.created.isoformat()})
    else:
        click.echo(f"account {account.name} made; `newsfold serve --accounts` lets it log in")


@accounts.command("passwd")
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin (for scripts)."
)
@click.pass_context
def accounts_passwd(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set NAME's password (its sessions end)."""
    from newsfold.web.auth import hash_password

    with _open(ctx) as store:
        account = store.account(name)
        if account is None:
            raise click.ClickException(f"no account named {name!r}; `newsfold accounts list` shows them")
        store.set_password_hash(account.id, hash_password(_read_password(password_stdin)))
    click.echo(f"password of {name} changed; its sessions have ended")


@accounts.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def accounts_list(ctx: click.Context, as_json: bool) -> None:
    """The accounts (the implicit single-user reader is 'reader')."""
    with _open(ctx) as store:
        found = store.accounts()
    if as_json:
        _echo_json([{"id": a.id, "name": a.name, "created": a.created.isoformat()} for a in found])
        return
    if not found:
        click.echo("no accounts yet: `newsfold accounts add NAME`")
    for account in found:
        click.echo(f"{account.id:>4}  {account.name:<24} made {account.created:%Y-%m-%d}")


@cli.group()
def tokens() -> None:
    """API tokens: the write endpoints (add a source, ingest, follow) need one."""


@tokens.command("create")
@click.argument("label")
@click.option(
    "--account", "account_name", help="The account the token acts for (default: the single-user reader)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def tokens_create(ctx: click.Context, label: str, account_name: str | None, as_json: bool) -> None:
    """Make a token named LABEL and print it (once: only its hash is kept)."""
    from newsfold.web.auth import new_api_token, token_hash

    with _open(ctx) as store:
        if account_name:
            account = store.account(account_name)
            if account is None:
                raise click.ClickException(
                    f"no account named {account_name!r}; `newsfold accounts list` shows them"
                )
        else:
            account = store.default_account()
        token = new_api_token()
        store.add_api_token(token_hash(token), account.id, label)
    if as_json:
        _echo_json({"label": label, "account": account.name, "token": token})
    else:
        click.echo(token)
        click.echo(
            f"token {label!r} for {account.name}: send it as 'Authorization: Bearer <token>'; "
            "it is shown only now",
            err=True,
        )


@tokens.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def tokens_list(ctx: click.Context, as_json: bool) -> None:
    """The tokens (labels, owners and dates; never the tokens themselves)."""
    with _open(ctx) as store:
        found = store.api_tokens()
    if as_json:
        _echo_json(found)
        return
    if not found:
        click.echo("no tokens: `newsfold tokens create LABEL`")
    for t in found:
        used = str(t["last_used"] or "never")[:19]
        click.echo(f"{t['label']:<24} {t['account']:<16} made {str(t['created'])[:10]}  last used {used}")


@tokens.command("revoke")
@click.argument("label")
@click.pass_context
def tokens_revoke(ctx: click.Context, label: str) -> None:
    """Revoke the tokens named LABEL."""
    with _open(ctx) as store:
        count = store.revoke_api_tokens(label)
    if not count:
        raise click.ClickException(f"no token named {label!r}; `newsfold tokens list` shows them")
    click.echo(f"revoked {count} token{'s' if count != 1 else ''} named {label!r}")


def main() -> None:
    cli(prog_name="newsfold")
