"""没有空白点 (full coverage): every gap in an org's subtree — a branch or member without a pledge, a pledge
stuck unpublished or without progress, a branch never inspected, an org without its quarterly comment, a
contact point unvisited — and the weekly nudge to each branch's secretaries."""
