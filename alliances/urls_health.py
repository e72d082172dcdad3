"""Pages of alliance health: see alliances.health."""

urlpatterns: list = []
