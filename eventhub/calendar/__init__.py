"""Calendar feeds: iCalendar for one event, a public series, and a person's own calendar (behind a secret link)."""
