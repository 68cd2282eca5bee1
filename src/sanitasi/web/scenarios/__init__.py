"""Named scenarios of a city kept in the database and compared on one page (issue 13
item 4; the CLI's ``scenarios/*.toml``, docs/METHOD.md §14)."""
