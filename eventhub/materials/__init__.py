"""Materials: files (slides, reports, documents) and links attached to an event or to one of its agenda items."""
