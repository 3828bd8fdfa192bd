"""Ballots (选票): a token opens its ballot, one submission stores anonymous answers; the phone page."""
