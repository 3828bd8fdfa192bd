"""What survey knows of pledge's world: the directory projection and the copy of published pledges."""
