"""Evidence attachments of realisation rows (issue 11 item 6): model, storage, views."""
