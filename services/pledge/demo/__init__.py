"""Demo data for ``xianfeng seed-demo``: a group shaped like the article, through the use cases."""
