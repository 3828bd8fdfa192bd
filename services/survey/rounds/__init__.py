"""Rounds (测评轮次): create, open, close, remind; who rates whom; ballots issued to the round's raters."""
