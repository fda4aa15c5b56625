"""Sources: places posts come from by themselves (feeds, mailboxes, webhooks), with cursors,
a seen-set, schedules and health. ``service.py`` draws the flow; vendors and protocols are
read in ``integrations/`` (``rss/``, ``imap/``)."""
