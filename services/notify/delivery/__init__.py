"""Delivery: the channels (inbox writer, email over SMTP, signed webhooks) behind one interface, the
webhook endpoints they reach, and the delivery ledger (one row per notification × person × channel)."""
