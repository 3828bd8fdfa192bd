"""The inbox (站内信): a person reads their messages, the unread count, marks them read."""
