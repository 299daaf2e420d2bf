"""Stories: online clustering of articles into events, with the evidence for each assignment."""

from newsfold.stories.clusterer import StoryClusterer, story_id_for

__all__ = ["StoryClusterer", "story_id_for"]
