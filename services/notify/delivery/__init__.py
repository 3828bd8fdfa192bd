"""Delivery: the channels (inbox writer, email over SMTP, webhooks in a format: standard signed events,
企业微信 and 钉钉 robots) behind one interface, the webhook endpoints they reach, the delivery ledger (one
row per notification × person × channel) and the robots' ledger (one summary per notification × robot)."""
