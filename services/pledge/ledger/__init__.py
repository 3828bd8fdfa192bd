"""The ledger (承诺台账) of an org and its subtree: JSON, the printable spreadsheet, the intranet board page."""
