"""The reader's web app: front page, story and article pages, JSON API and Atom feeds (FastAPI).

``create_app(database_url)`` builds it over a store; ``newsfold serve`` runs it on localhost.
"""

from newsfold.web.app import create_app

__all__ = ["create_app"]
