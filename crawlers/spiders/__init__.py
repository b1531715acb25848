"""One spider per source kind: hf_hub, feed, sitemap, page."""
